using ScimSync.Core.Mapping.Expressions;
using static ScimSync.Core.Tests.Mapping.MappingTestData;

namespace ScimSync.Core.Tests.Mapping;

public sealed class ExpressionFunctionTests
{
    private const string Adele = """
        {"givenName":"Adele","surname":"Vance","mail":"adele.vance@contoso.com","userPrincipalName":"adele.vance@contoso.com",
         "department":"Engineering","accountEnabled":true,"IsSoftDeleted":false,"employeeId":"E1000",
         "proxyAddresses":["SMTP:adele.vance@contoso.com","smtp:adele@contoso.com","smtp:adele@contoso.com"],
         "country":"USA","lastLogon":"129699324000000000","flags":7}
        """;

    [Theory]
    [InlineData("Append([givenName], \".ext\")", "Adele.ext")]
    [InlineData("Append(\"Jane\", \"@contoso.com\")", "Jane@contoso.com")]
    public void Append_adds_the_suffix(string expression, string expected) => Assert.Equal(expected, Text(expression, Adele));

    [Fact]
    public void Append_to_a_missing_attribute_sends_nothing() => Assert.True(Evaluate("Append([mailNickname], \"@contoso.com\")", Adele).IsNull);

    [Theory]
    [InlineData("BitAnd(&HF, &HF7)", 7)]
    [InlineData("BitAnd(&HF,&HF7)", 7)]
    [InlineData("BitAnd([flags], 2)", 2)]
    [InlineData("BitAnd(12, 10)", 8)]
    public void BitAnd_is_a_bitwise_and(string expression, int expected) => Assert.Equal(expected, Evaluate(expression, Adele).NumberValue);

    [Theory]
    [InlineData("CBool([givenName] = \"Adele\")", true)]
    [InlineData("CBool([givenName] = [surname])", false)]
    [InlineData("CBool(1)", true)]
    [InlineData("CBool(0)", false)]
    [InlineData("CBool(\"False\")", false)]
    [InlineData("CBool([accountEnabled])", true)]
    public void CBool_is_true_for_non_zero_values(string expression, bool expected) => Assert.Equal(expected, Evaluate(expression, Adele).BooleanValue);

    [Theory]
    [InlineData("CDate(\"2021-06-30+08:00\")", "6/29/2021 4:00:00 PM")]
    [InlineData("CDate(\"2012-07-16T12:00:00Z\")", "7/16/2012 12:00:00 PM")]
    public void CDate_parses_to_a_utc_date(string expression, string expected) => Assert.Equal(expected, Rendered(expression));

    [Fact]
    public void CDate_of_text_that_is_no_date_fails_with_the_function_named()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Evaluate("CDate([givenName])", Adele));
        Assert.Contains("CDate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Coalesce([mail], [userPrincipalName])", "{\"mail\":null,\"userPrincipalName\":\"dana.kim@contoso.com\"}", "dana.kim@contoso.com")]
    [InlineData("Coalesce([mail], [userPrincipalName])", "{\"mail\":\"dana@contoso.com\",\"userPrincipalName\":\"dana.kim@contoso.com\"}", "dana@contoso.com")]
    [InlineData("Coalesce([mail], [otherMail], \"nobody@contoso.com\")", "{}", "nobody@contoso.com")]
    [InlineData("Coalesce([mail], [userPrincipalName])", "{\"mail\":\"\",\"userPrincipalName\":\"u@contoso.com\"}", "u@contoso.com")]
    public void Coalesce_returns_the_first_value_that_is_present(string expression, string json, string expected) =>
        Assert.Equal(expected, Text(expression, json));

    [Fact]
    public void Coalesce_of_only_missing_values_is_null() => Assert.True(Evaluate("Coalesce([mail], [jobTitle])").IsNull);

    [Fact]
    public void ConvertToBase64_encodes_utf16_like_Entra() =>
        Assert.Equal("SABlAGwAbABvACAAdwBvAHIAbABkACEA", Text("ConvertToBase64(\"Hello world!\")"));

    [Theory]
    [InlineData("Hello world!", "48656C6C6F20776F726C6421")]
    [InlineData("ä", "C3A4")]
    public void ConvertToUTF8Hex_encodes_utf8_in_upper_case_hex(string input, string expected) =>
        Assert.Equal(expected, Text($"ConvertToUTF8Hex(\"{input}\")"));

    [Theory]
    [InlineData("Count([proxyAddresses])", 3)]
    [InlineData("Count([givenName])", 1)]
    [InlineData("Count([otherMails])", 0)]
    [InlineData("Count(Split(\"a,b\", \",\"))", 2)]
    public void Count_counts_the_values(string expression, int expected) => Assert.Equal(expected, Evaluate(expression, Adele).NumberValue);

    [Theory]
    [InlineData("CStr(123)", "123")]
    [InlineData("CStr([accountEnabled])", "True")]
    [InlineData("CStr([flags])", "7")]
    [InlineData("CStr(2.5)", "2.5")]
    public void CStr_turns_values_into_text(string expression, string expected) => Assert.Equal(expected, Text(expression, Adele));

    [Fact]
    public void CStr_of_a_multi_valued_attribute_fails_with_advice()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Evaluate("CStr([proxyAddresses])", Adele));
        Assert.Contains("Item()", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DateAdd(\"d\", 7, CDate(\"2012-07-16\"))", "7/23/2012 12:00:00 AM")]
    [InlineData("DateAdd(\"yyyy\", 1, CDate(\"2012-02-29\"))", "2/28/2013 12:00:00 AM")]
    [InlineData("DateAdd(\"m\", -1, CDate(\"2012-03-31\"))", "2/29/2012 12:00:00 AM")]
    [InlineData("DateAdd(\"ww\", 2, CDate(\"2012-07-16\"))", "7/30/2012 12:00:00 AM")]
    [InlineData("DateAdd(\"h\", 25, CDate(\"2012-07-16\"))", "7/17/2012 1:00:00 AM")]
    [InlineData("DateAdd(\"n\", 90, CDate(\"2012-07-16\"))", "7/16/2012 1:30:00 AM")]
    [InlineData("DateAdd(\"s\", 61, CDate(\"2012-07-16\"))", "7/16/2012 12:01:01 AM")]
    [InlineData("DateAdd(\"d\", 1, Now())", "3/2/2026 10:00:00 AM")]
    public void DateAdd_adds_intervals_and_renders_like_Entra(string expression, string expected) => Assert.Equal(expected, Rendered(expression));

    [Fact]
    public void DateAdd_with_an_unknown_interval_lists_the_valid_ones()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Evaluate("DateAdd(\"q\", 1, Now())"));
        Assert.Contains("yyyy (years)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DateDiff(\"d\", CDate(\"2021-01-01\"), CDate(\"2021-01-11\"))", 10)]
    [InlineData("DateDiff(\"d\", CDate(\"2021-01-11\"), CDate(\"2021-01-01\"))", -10)]
    [InlineData("DateDiff(\"d\", CDate(\"2021-01-01\"), CDate(\"2021-01-01\"))", 0)]
    [InlineData("DateDiff(\"yyyy\", CDate(\"2020-12-31\"), CDate(\"2021-01-01\"))", 1)]
    [InlineData("DateDiff(\"m\", CDate(\"2021-01-31\"), CDate(\"2021-03-01\"))", 2)]
    [InlineData("DateDiff(\"h\", Now(), DateAdd(\"d\", 1, Now()))", 24)]
    public void DateDiff_is_positive_when_the_second_date_is_later(string expression, int expected) =>
        Assert.Equal(expected, Evaluate(expression).NumberValue);

    [Theory]
    [InlineData("DateFromNum(129699324000000000)", "1/1/2012 11:00:00 PM")]
    [InlineData("DateFromNum([lastLogon])", "1/1/2012 11:00:00 PM")]
    public void DateFromNum_reads_an_Active_Directory_date(string expression, string expected) => Assert.Equal(expected, Rendered(expression, Adele));

    [Fact]
    public void DateFromNum_of_a_negative_number_fails() =>
        Assert.Throws<ExpressionEvaluationException>(() => Evaluate("DateFromNum(-5)"));

    [Theory]
    [InlineData("FormatDateTime(\"20150123105347.1Z\", , \"yyyyMMddHHmmss.fZ\", \"yyyy-MM-dd\")", "2015-01-23")]
    [InlineData("FormatDateTime(\"2015-01-23T10:53:47Z\", \"AdjustToUniversal\", \"yyyy-MM-ddTHH:mm:ssZ\", \"dd.MM.yyyy HH:mm\")", "23.01.2015 10:53")]
    [InlineData("FormatDateTime(DateAdd(\"d\", 7, CDate(\"2021-06-30\")), , \"M/d/yyyy h:mm:ss tt\", \"yyyy-MM-dd\")", "2021-07-07")]
    public void FormatDateTime_reformats_dates_with_dotnet_formats(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Fact]
    public void FormatDateTime_of_text_in_another_format_fails_naming_the_format()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Evaluate("FormatDateTime(\"23/01/2015\", , \"yyyyMMdd\", \"yyyy-MM-dd\")"));
        Assert.Contains("yyyyMMdd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Guid_makes_a_new_guid_each_time()
    {
        var first = Text("Guid()");
        var second = Text("Guid()");
        Assert.True(Guid.TryParse(first, out _));
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("IgnoreFlowIfNullOrEmpty([mail])", "{\"mail\":\"\"}", true)]
    [InlineData("IgnoreFlowIfNullOrEmpty([mail])", "{}", true)]
    [InlineData("IgnoreFlowIfNullOrEmpty([mail])", "{\"mail\":\"a@b.c\"}", false)]
    public void IgnoreFlowIfNullOrEmpty_drops_empty_values(string expression, string json, bool dropped) =>
        Assert.Equal(dropped, Evaluate(expression, json).IsNull);

    [Theory]
    [InlineData("IIF([country]=\"USA\", [country], [department])", "USA")]
    [InlineData("IIF([country]<>\"USA\", [country], [department])", "Engineering")]
    [InlineData("IIF([flags] > 5, \"big\", \"small\")", "big")]
    [InlineData("IIF([flags] >= 8, \"big\", \"small\")", "small")]
    [InlineData("IIF([flags] < 10, \"lt\", \"ge\")", "lt")]
    [InlineData("IIF([flags] <= 6, \"le\", \"gt\")", "gt")]
    [InlineData("IIF([accountEnabled] = \"True\", \"on\", \"off\")", "on")]
    [InlineData("IIF([country]=\"USA\", IIF([department]=\"Engineering\", \"US engineer\", \"US other\"), \"elsewhere\")", "US engineer")]
    public void IIF_chooses_by_the_condition(string expression, string expected) => Assert.Equal(expected, Text(expression, Adele));

    [Fact]
    public void IIF_comparisons_are_case_sensitive() => Assert.Equal("no", Text("IIF([country]=\"usa\", \"yes\", \"no\")", Adele));

    [Fact]
    public void IIF_with_a_missing_source_attribute_takes_the_false_branch() =>
        Assert.Equal("unknown", Text("IIF([state]=\"WA\", \"Washington\", \"unknown\")", Adele));

    [Fact]
    public void IIF_evaluates_only_the_branch_it_takes() =>
        Assert.Equal("safe", Text("IIF(1 = 1, \"safe\", Mid(\"x\", 0, 1))"));

    [Theory]
    [InlineData("InStr(\"The quick brown fox\", \"quick\")", 5)]
    [InlineData("InStr(\"repEated\", \"e\", 3, vbBinaryCompare)", 7)]
    [InlineData("InStr(\"repEated\", \"e\", 3, vbTextCompare)", 4)]
    [InlineData("InStr(\"The quick brown fox\", \"slow\")", 0)]
    [InlineData("InStr(\"abc\", \"c\", 10)", 0)]
    public void InStr_finds_1_based_positions(string expression, int expected) => Assert.Equal(expected, Evaluate(expression).NumberValue);

    [Theory]
    [InlineData("IsNull([mail])", "{}", true)]
    [InlineData("IsNull([mail])", "{\"mail\":\"\"}", false)]
    [InlineData("IsNullOrEmpty([mail])", "{\"mail\":\"\"}", true)]
    [InlineData("IsNullOrEmpty([mail])", "{\"mail\":\"x\"}", false)]
    [InlineData("IsPresent([mail])", "{\"mail\":\"x\"}", true)]
    [InlineData("IsPresent([mail])", "{\"mail\":\"\"}", false)]
    [InlineData("IsPresent([mail])", "{}", false)]
    [InlineData("IsString([mail])", "{\"mail\":\"x\"}", true)]
    [InlineData("IsString([accountEnabled])", "{\"accountEnabled\":true}", false)]
    [InlineData("IsString(CStr([accountEnabled]))", "{\"accountEnabled\":true}", true)]
    public void Is_functions_test_presence_and_type(string expression, string json, bool expected) =>
        Assert.Equal(expected, Evaluate(expression, json).BooleanValue);

    [Theory]
    [InlineData("Item([proxyAddresses], 1)", "SMTP:adele.vance@contoso.com")]
    [InlineData("Item([proxyAddresses], 2)", "smtp:adele@contoso.com")]
    [InlineData("Item([givenName], 1)", "Adele")]
    public void Item_picks_a_value_by_1_based_index(string expression, string expected) => Assert.Equal(expected, Text(expression, Adele));

    [Fact]
    public void Item_past_the_last_value_is_null() => Assert.True(Evaluate("Item([proxyAddresses], 4)", Adele).IsNull);

    [Fact]
    public void Item_with_index_0_fails_because_indexes_are_1_based()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Evaluate("Item([proxyAddresses], 0)", Adele));
        Assert.Contains("1-based", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Join(\" \", [givenName], [surname])", "Adele Vance")]
    [InlineData("Join(\",\", \"Hello\", \"World\")", "Hello,World")]
    [InlineData("Join(\";\", [proxyAddresses])", "SMTP:adele.vance@contoso.com;smtp:adele@contoso.com;smtp:adele@contoso.com")]
    [InlineData("Join(\" \", [givenName], [middleName], [surname])", "Adele Vance")]
    public void Join_concatenates_values_and_expands_multi_valued_ones(string expression, string expected) => Assert.Equal(expected, Text(expression, Adele));

    [Theory]
    [InlineData("Left(\"John Doe\", 3)", "Joh")]
    [InlineData("Left(\"John Doe\", 0)", "")]
    [InlineData("Left(\"John Doe\", -1)", "John Doe")]
    [InlineData("Left(\"John\", 10)", "John")]
    [InlineData("Left([missing], 3)", "")]
    [InlineData("Left(\"Zoë\", 3)", "Zoë")]
    public void Left_takes_characters_from_the_start(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Theory]
    [InlineData("Mid(\"John Doe\", 3, 5)", "hn Do")]
    [InlineData("Mid(\"John Doe\", 6, 100)", "Doe")]
    [InlineData("Mid(\"John Doe\", 20, 2)", "")]
    [InlineData("Mid(\"John Doe\", 1, 0)", "")]
    public void Mid_takes_a_1_based_substring_clamped_at_the_end(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Fact]
    public void Mid_with_start_0_fails() => Assert.Throws<ExpressionEvaluationException>(() => Evaluate("Mid(\"John\", 0, 2)"));

    [Theory]
    [InlineData("Zoë Åkesson", "Zoe Akesson")]
    [InlineData("Björn Ødegaard", "Bjorn OEdegaard")]
    [InlineData("Straße", "Strasse")]
    [InlineData("Æsir ø æ", "AEsir oe ae")]
    [InlineData("Tomás Núñez Łukasz Șerban", "Tomas Nunez Lukasz Serban")]
    [InlineData("Kenji 佐藤", "Kenji 佐藤")]
    public void NormalizeDiacritics_replaces_letters_with_diacritics(string input, string expected) =>
        Assert.Equal(expected, Text($"NormalizeDiacritics(\"{input}\")"));

    [Theory]
    [InlineData("Not([IsSoftDeleted])", "{\"IsSoftDeleted\":false}", true)]
    [InlineData("Not([IsSoftDeleted])", "{\"IsSoftDeleted\":true}", false)]
    [InlineData("Not(\"True\")", "{}", false)]
    [InlineData("Not(\"False\")", "{}", true)]
    public void Not_flips_a_Boolean(string expression, string json, bool expected) => Assert.Equal(expected, Evaluate(expression, json).BooleanValue);

    [Fact]
    public void Not_of_text_that_is_no_Boolean_fails() => Assert.Throws<ExpressionEvaluationException>(() => Evaluate("Not(\"maybe\")"));

    [Fact]
    public void Now_reads_the_injected_clock() => Assert.Equal("3/1/2026 10:00:00 AM", Rendered("Now()"));

    [Theory]
    [InlineData("NumFromDate(\"2012-01-01T23:00:00Z\")", 129699324000000000)]
    [InlineData("NumFromDate(DateFromNum(129699324000000000))", 129699324000000000)]
    public void NumFromDate_gives_the_Active_Directory_number(string expression, long expected) =>
        Assert.Equal(expected, Evaluate(expression).NumberValue);

    [Theory]
    [InlineData("PCase(\"NOEL SMITH\")", "Noel Smith")]
    [InlineData("PCase(\"joHN o'NEIL\")", "John O'neil")]
    [InlineData("PCase(\"ana-maria lopez\", \"-\")", "Ana-Maria lopez")]
    [InlineData("PCase(\"ana-maria lopez\", \" -\")", "Ana-Maria Lopez")]
    [InlineData("PCase(\"élodie ÉCLAIR\")", "Élodie Éclair")]
    public void PCase_title_cases(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Theory]
    [InlineData(8, 0, 0, 0, 0)]
    [InlineData(20, 3, 2, 4, 5)]
    [InlineData(256, 10, 10, 10, 10)]
    public void RandomString_meets_the_length_and_minimums(int length, int numbers, int specials, int capitals, int lowers)
    {
        var text = Text($"RandomString({length}, {numbers}, {specials}, {capitals}, {lowers}, \"0Oo\")");
        Assert.Equal(length, text.Length);
        Assert.True(text.Count(char.IsAsciiDigit) >= numbers);
        Assert.True(text.Count(char.IsAsciiLetterUpper) >= capitals);
        Assert.True(text.Count(char.IsAsciiLetterLower) >= lowers);
        Assert.True(text.Count(c => !char.IsAsciiLetterOrDigit(c)) >= specials);
        Assert.DoesNotContain('0', text);
        Assert.DoesNotContain('O', text);
    }

    [Theory]
    [InlineData("RandomString(257)")]
    [InlineData("RandomString(0)")]
    [InlineData("RandomString(4, 3, 3)")]
    public void RandomString_out_of_range_fails(string expression) => Assert.Throws<ExpressionEvaluationException>(() => Evaluate(expression));

    [Fact]
    public void Redact_passes_the_value_through() => Assert.Equal("E1000", Text("Redact([employeeId])", Adele));

    [Fact]
    public void RemoveDuplicates_keeps_the_first_of_each_value()
    {
        var values = Evaluate("RemoveDuplicates([proxyAddresses])", Adele).ListValue;
        Assert.Equal(["SMTP:adele.vance@contoso.com", "smtp:adele@contoso.com"], values.Select(v => v.StringValue));
    }

    [Theory]
    [InlineData("Replace(\"Hello World\", \"World\", , , \"There\", , )", "Hello There")]
    [InlineData("Replace(\"a.b.c\", \".\", , , \"\", , )", "abc")]
    [InlineData("Replace([givenName], \"{0}\", , , , , \"user-{0}\")", "user-Adele")]
    [InlineData("Replace(\"john.doe@contoso.com\", , \"@.*$\", , \"@fabrikam.com\", , )", "john.doe@fabrikam.com")]
    [InlineData("Replace(\"+1 4255550100\", , \"\\+(?<isdCode>\\d* )(?<phoneNumber>.*)\", , \"${phoneNumber}\", , )", "4255550100")]
    [InlineData("Replace(\"+1 4255550100\", , \"\\+(?<isdCode>\\d*) (?<phoneNumber>.*)\", \"isdCode\", \"44\", , )", "+44 4255550100")]
    [InlineData("Replace([mailNickname], , \"[a-z]\", , \"x\", [givenName], )", "Adele")]
    [InlineData("Replace(\"Aba\", \"a\", , , \"z\", , )", "Abz")]
    public void Replace_supports_Entras_five_modes(string expression, string expected) => Assert.Equal(expected, Text(expression, Adele));

    [Fact]
    public void Replace_with_an_invalid_pattern_fails_with_the_reason()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Evaluate("Replace(\"x\", , \"(\", , \"y\", , )"));
        Assert.Contains("regexPattern", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"appRoleAssignments":["User"]}""", "User")]
    [InlineData("""{"appRoleAssignments":["Writer","Admin"]}""", "Admin")]
    [InlineData("""{"appRoleAssignments":[{"appRoleId":"1","value":"Reader"}]}""", "Reader")]
    public void SingleAppRoleAssignment_picks_one_role(string json, string expected) =>
        Assert.Equal(expected, Text("SingleAppRoleAssignment([appRoleAssignments])", json));

    [Fact]
    public void SingleAppRoleAssignment_without_roles_is_null() =>
        Assert.True(Evaluate("SingleAppRoleAssignment([appRoleAssignments])", """{"appRoleAssignments":[]}""").IsNull);

    [Fact]
    public void Split_turns_text_into_values()
    {
        var values = Evaluate("Split(\"a,b,,c\", \",\")").ListValue;
        Assert.Equal(["a", "b", "", "c"], values.Select(v => v.ToText()));
    }

    [Fact]
    public void StripSpaces_removes_spaces() => Assert.Equal("AdeleVance", Text("StripSpaces(\" Adele  Vance \")"));

    [Theory]
    [InlineData("Switch([country], \"Unknown\", \"USA\", \"US\", \"Germany\", \"DE\")", "US")]
    [InlineData("Switch([department], \"Unknown\", \"USA\", \"US\")", "Unknown")]
    [InlineData("Switch([state], \"Unknown\", \"WA\", \"Washington\")", "Unknown")]
    [InlineData("Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")", "True")]
    public void Switch_maps_keys_to_values(string expression, string expected) => Assert.Equal(expected, Rendered(expression, Adele));

    [Fact]
    public void Switch_without_a_match_or_default_is_null_so_the_target_is_left_alone() =>
        Assert.True(Evaluate("Switch([country], , \"usa\", \"US\")", Adele).IsNull);

    [Theory]
    [InlineData("ToLower(\"ADELE.Vance@Contoso.com\")", "adele.vance@contoso.com")]
    [InlineData("ToUpper(\"adele\")", "ADELE")]
    [InlineData("ToUpper(\"istanbul\", \"tr-TR\")", "İSTANBUL")]
    [InlineData("ToLower(\"DİYARBAKIR\", \"tr-TR\")", "diyarbakır")]
    [InlineData("ToUpper(\"zoë\")", "ZOË")]
    public void ToLower_and_ToUpper_change_case(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Theory]
    [InlineData("Word(\"The quick brown fox\", 3, \" \")", "brown")]
    [InlineData("Word(\"This,string!has&many separators\", 3, \",!&#\")", "has")]
    [InlineData("Word(\"The quick brown fox\", 5, \" \")", "")]
    [InlineData("Word(\"The quick brown fox\", 0, \" \")", "")]
    [InlineData("Word([missing], 1, \" \")", "")]
    public void Word_returns_the_nth_word(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Fact]
    public void Functions_nest() =>
        Assert.Equal("adele.v@contoso.com", Text("ToLower(Join(\"\", Left([givenName], 5), \".\", Left([surname], 1), \"@contoso.com\"))", Adele));

    [Fact]
    public void Every_function_in_the_brief_is_available()
    {
        string[] expected =
        [
            "Append", "BitAnd", "CBool", "CDate", "Coalesce", "ConvertToBase64", "ConvertToUTF8Hex", "Count", "CStr", "DateAdd",
            "DateDiff", "DateFromNum", "FormatDateTime", "Guid", "IgnoreFlowIfNullOrEmpty", "IIF", "InStr", "IsNull", "IsNullOrEmpty",
            "IsPresent", "IsString", "Item", "Join", "Left", "Mid", "NormalizeDiacritics", "Not", "Now", "NumFromDate", "PCase",
            "RandomString", "Redact", "RemoveDuplicates", "Replace", "SingleAppRoleAssignment", "Split", "StripSpaces", "Switch",
            "ToLower", "ToUpper", "Word",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ExpressionFunctions.All.Select(f => f.Name).Order(StringComparer.Ordinal));
    }
}
