using FsCheck;
using FsCheck.Xunit;
using ScimSync.Core.Directory;
using ScimSync.Core.Mapping;
using ScimSync.Core.Mapping.Expressions;
using static ScimSync.Core.Tests.Mapping.MappingTestData;

namespace ScimSync.Core.Tests.Mapping;

/// <summary>
/// Random and mutated input never makes the parser raise anything but <see cref="ExpressionSyntaxException"/>,
/// and whatever parses never makes the mapping engine throw.
/// </summary>
public sealed class ExpressionParserFuzzTests
{
    private static readonly string[] ValidExpressions =
    [
        "Coalesce([mail], [userPrincipalName])",
        "Not([IsSoftDeleted])",
        "IIF([country]=\"USA\", IIF([department]<>\"\", [department], \"none\"), Left([givenName], 1))",
        "Replace([telephoneNumber], , \"\\+(?<isdCode>\\d* )(?<phoneNumber>.*)\", , \"${phoneNumber}\", , )",
        "Switch([country], \"Unknown\", \"USA\", \"US\", \"Germany\", \"DE\")",
        "FormatDateTime([employeeHireDate], , \"yyyyMMddHHmmss.fZ\", \"yyyy-MM-dd\")",
        "DateAdd(\"d\", 7, CDate(\"2021-06-30+08:00\"))",
        "Join(\" \", [givenName], Mid([surname], 1, 3), Item([proxyAddresses], 2), CStr(BitAnd(&HF, &HF7)))",
        "ToLower(NormalizeDiacritics(StripSpaces(Append([givenName], \".\"))), \"tr-TR\")",
        "InStr(Word([displayName], 2, \" ,\"), \"e\", 1, vbTextCompare)",
        "IgnoreFlowIfNullOrEmpty(Redact(SingleAppRoleAssignment([appRoleAssignments])))",
        "Count(RemoveDuplicates(Split([extension_abc_tags], \",\")))",
        "PCase(ConvertToBase64(ConvertToUTF8Hex(CStr(NumFromDate(DateFromNum(129699324000000000))))), \" -\")",
        "DateDiff(\"h\", Now(), CDate(\"2030-01-01\"))",
    ];

    private static readonly string[] Pieces =
    [
        "(", ")", ",", "[", "]", "\"", "\\", "\\\"", "&H", "&", "=", "<>", "<", ">=", " ", "-", ".", "1", "0", "-1",
        "99999999999999999999999999999", "Coalesce", "IIF", "Left", "Mid", "Item", "Switch", "Replace", "Not", "x",
        "[mail]", "[proxyAddresses]", "\"a\"", "\u00e4", "\U0001F600", "\0", "\n", "vbTextCompare", "AND",
    ];

    private static readonly char[] Noise = "()[],\"\\&=<> -.0123456789aZ_\u00e4\n\t\0@#".ToCharArray();

    private static readonly SourceObject Sample = User("""
        {"givenName":"Zoë","surname":"Åkesson","mail":null,"userPrincipalName":"zoe@contoso.com","country":"USA",
         "IsSoftDeleted":false,"proxyAddresses":["SMTP:a@contoso.com","smtp:b@contoso.com"],"telephoneNumber":"+1 425",
         "appRoleAssignments":[{"value":"User"}],"extension_abc_tags":"a,b,a","employeeHireDate":"20150123105347.1Z"}
        """);

    [Property(MaxTest = 2000)]
    public bool Random_text_parses_or_raises_a_syntax_error(string? text) => ParsesOrReportsSyntaxError(text ?? string.Empty);

    [Property(MaxTest = 2000)]
    public bool Random_sequences_of_expression_pieces_parse_or_raise_a_syntax_error(int[] choices) =>
        ParsesOrReportsSyntaxError(string.Concat((choices ?? []).Select(c => Pieces[(int)((uint)c % Pieces.Length)])));

    [Property(MaxTest = 1000)]
    public bool Mutated_valid_expressions_parse_or_raise_a_syntax_error_and_never_crash_mapping(int seed, int[] edits)
    {
        var text = ValidExpressions[(int)((uint)seed % ValidExpressions.Length)];
        foreach (var edit in (edits ?? []).Take(6))
        {
            text = Mutate(text, edit);
        }

        return ParsesOrReportsSyntaxError(text) && MapsWithoutThrowing(text);
    }

    [Fact]
    public void Every_seed_expression_is_valid()
    {
        foreach (var expression in ValidExpressions)
        {
            ExpressionParser.Parse(expression);
        }
    }

    private static string Mutate(string text, int edit)
    {
        var value = (uint)edit;
        var position = text.Length == 0 ? 0 : (int)(value / 7 % (uint)text.Length);
        return (value % 7) switch
        {
            0 when text.Length > 0 => text.Remove(position, 1),
            1 => text.Insert(position, Noise[value / 3 % (uint)Noise.Length].ToString()),
            2 => text[..position],
            3 when text.Length > 1 => text.Remove(position, 1).Insert((position + 1) % text.Length, text[position].ToString()),
            4 => text.Insert(position, text[..Math.Min(text.Length, 12)]),
            5 => text.Insert(position, Pieces[value / 5 % (uint)Pieces.Length]),
            _ => text.Length > 0 ? text.Replace(text[position], Noise[value % (uint)Noise.Length]) : text,
        };
    }

    private static bool ParsesOrReportsSyntaxError(string text)
    {
        try
        {
            ExpressionParser.Parse(text);
            return true;
        }
        catch (ExpressionSyntaxException e)
        {
            return e.Position >= 1 && e.Position <= Math.Max(text.Length, 0) + 1 && e.Problem.Length > 0;
        }
    }

    private static bool MapsWithoutThrowing(string text)
    {
        var validation = new MappingValidator().Validate(new("fuzz"), 0, DefaultMappings.AtlassianCloud, new JobMappingsConfiguration
        {
            Users = [AttributeMapping.FromExpression(text, "title")],
        });
        if (!validation.IsValid)
        {
            return true;
        }

        var engine = new MappingEngine(Clock());
        var result = engine.Map(Sample, validation.Mappings!, isCreate: true);
        return result.Succeeded || result.FailureReason!.Length > 0;
    }
}
