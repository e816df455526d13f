using FsCheck.Xunit;
using ScimSync.Core.State;

namespace ScimSync.Core.Tests.State;

public sealed class TableKeyTests
{
    [Theory]
    [InlineData("a/b", "a%2Fb")]
    [InlineData(@"a\b", "a%5Cb")]
    [InlineData("a#b", "a%23b")]
    [InlineData("a?b", "a%3Fb")]
    [InlineData("50%", "50%25")]
    [InlineData("a|b", "a%7Cb")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("del\u007f", "del%7F")]
    [InlineData("c1\u0085", "c1%85")]
    public void Characters_Table_Storage_forbids_are_escaped(string id, string expected)
    {
        Assert.Equal(expected, TableKey.EscapePart(id));
    }

    [Fact]
    public void An_ordinary_object_id_is_left_as_it_is()
    {
        Assert.Equal("5f0c2e0a-8b1c-4f1e-9a5e-2d7b3c4d5e6f", TableKey.EscapePart("5f0c2e0a-8b1c-4f1e-9a5e-2d7b3c4d5e6f"));
    }

    [Fact]
    public void An_escaped_key_contains_no_forbidden_character()
    {
        var key = TableKey.Compose("job/1", @"a\b#c?d", "\u0001\u001f");

        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
    }

    [Fact]
    public void A_composite_key_splits_back_into_its_parts_even_when_parts_contain_the_separator()
    {
        var parts = new[] { "job|1", "User", "id/with|pipes%and#more?" };

        Assert.Equal(parts, TableKey.Decompose(TableKey.Compose(parts)));
    }

    [Property]
    public bool Escaping_any_string_round_trips(string? value)
    {
        value ??= string.Empty;
        return TableKey.UnescapePart(TableKey.EscapePart(value)) == value;
    }

    [Property]
    public bool Different_ids_never_share_a_key(string? first, string? second)
    {
        first ??= string.Empty;
        second ??= string.Empty;
        return first == second || TableKey.EscapePart(first) != TableKey.EscapePart(second);
    }

    [Fact]
    public void A_key_longer_than_Table_Storage_allows_is_refused_with_the_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => TableKey.Compose(new string('j', 300), new string('/', 100)));

        Assert.Contains("at most 512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_exactly_the_limit_is_accepted()
    {
        Assert.Equal(TableKey.MaxLength, TableKey.Compose(new string('x', TableKey.MaxLength)).Length);
    }

    [Fact]
    public void A_broken_escape_sequence_is_reported_rather_than_guessed()
    {
        Assert.Throws<FormatException>(() => TableKey.UnescapePart("abc%2"));
        Assert.Throws<FormatException>(() => TableKey.UnescapePart("abc%zz"));
    }
}
