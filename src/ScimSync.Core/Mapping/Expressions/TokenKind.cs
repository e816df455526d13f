namespace ScimSync.Core.Mapping.Expressions;

internal enum TokenKind
{
    End,
    Identifier,
    Attribute,
    Text,
    Number,
    OpenParen,
    CloseParen,
    Comma,
    Operator,
}
