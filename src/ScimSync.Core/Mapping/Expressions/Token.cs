namespace ScimSync.Core.Mapping.Expressions;

/// <param name="Position">1-based position of the token's first character.</param>
/// <param name="Text">The identifier, attribute name (without brackets), unescaped string, operator or number text.</param>
internal readonly record struct Token(TokenKind Kind, int Position, string Text, decimal Number = 0);
