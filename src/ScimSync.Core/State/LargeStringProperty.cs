using Azure.Data.Tables;

namespace ScimSync.Core.State;

/// <summary>
/// Stores a string that may exceed Table Storage's 64 KiB limit per string property by splitting it across
/// numbered properties (<c>Name_0</c>, <c>Name_1</c>, …) with a part count in <c>NameParts</c>. The total stays far
/// below the 1 MiB entity limit; anything larger is refused with a clear error rather than failing in the service.
/// </summary>
internal static class LargeStringProperty
{
    // 64 KiB of UTF-16 is 32,768 characters; keep a margin.
    internal const int CharactersPerPart = 30_000;

    // 12 parts = 360,000 characters = 720 KB, leaving room for the entity's other properties within 1 MiB.
    internal const int MaxParts = 12;

    internal const int MaxCharacters = CharactersPerPart * MaxParts;

    public static void Write(TableEntity entity, string name, string? value, string describe)
    {
        if (value is null)
        {
            entity[name + "Parts"] = 0;
            return;
        }

        if (value.Length > MaxCharacters)
        {
            throw new StateEntityTooLargeException(
                $"{describe} is {value.Length:N0} characters; ScimSync stores at most {MaxCharacters:N0} per row " +
                "(Table Storage allows 1 MiB per entity). Map fewer or smaller attributes.");
        }

        var parts = Math.Max(1, (value.Length + CharactersPerPart - 1) / CharactersPerPart);
        for (var part = 0; part < parts; part++)
        {
            var start = part * CharactersPerPart;
            entity[$"{name}_{part}"] = value.Substring(start, Math.Min(CharactersPerPart, value.Length - start));
        }

        entity[name + "Parts"] = parts;
    }

    public static string? Read(TableEntity entity, string name)
    {
        var parts = entity.GetInt32(name + "Parts");
        if (parts is null or 0)
        {
            return null;
        }

        return string.Concat(Enumerable.Range(0, parts.Value).Select(part => entity.GetString($"{name}_{part}")));
    }

    /// <summary>The property names a value may use, for queries that select only some columns.</summary>
    public static IEnumerable<string> ColumnNames(string name) =>
        Enumerable.Range(0, MaxParts).Select(part => $"{name}_{part}").Prepend(name + "Parts");
}
