using System.Globalization;
using System.Text;

namespace ScimSync.Core.State;

/// <summary>
/// Builds PartitionKey and RowKey values from ids. Table Storage forbids <c>/ \ # ?</c> and control characters in
/// keys; ids from the directory or a job file may contain any of them. Each forbidden character, the escape
/// character <c>%</c> itself and the part separator <c>|</c> become <c>%XX</c>, so escaping is reversible and a
/// composite key splits back into exactly the parts it was built from.
/// </summary>
public static class TableKey
{
    /// <summary>
    /// The longest key, in characters, after escaping. Table Storage allows 1 KiB per key, and characters are
    /// stored as UTF-16.
    /// </summary>
    public const int MaxLength = 512;

    /// <summary>Separates the parts of a composite key (it is always escaped inside a part).</summary>
    public const char Separator = '|';

    private const char Escape = '%';

    /// <summary>Escapes one id for use as (part of) a key.</summary>
    public static string EscapePart(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(MustEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (MustEscape(c))
            {
                builder.Append(Escape).Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Reverses <see cref="EscapePart"/>.</summary>
    /// <exception cref="FormatException">The value is not an escaped key part.</exception>
    public static string UnescapePart(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (!escaped.Contains(Escape, StringComparison.Ordinal))
        {
            return escaped;
        }

        var builder = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != Escape)
            {
                builder.Append(escaped[i]);
                continue;
            }

            if (i + 2 >= escaped.Length
                || !int.TryParse(escaped.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new FormatException($"'{escaped}' is not an escaped table key: '%' at position {i} is not followed by two hex digits.");
            }

            builder.Append((char)code);
            i += 2;
        }

        return builder.ToString();
    }

    /// <summary>Builds a key from one or more parts, each escaped, joined by <see cref="Separator"/>.</summary>
    /// <exception cref="ArgumentException">The key is longer than <see cref="MaxLength"/> after escaping.</exception>
    public static string Compose(params ReadOnlySpan<string> parts)
    {
        if (parts.Length == 0)
        {
            throw new ArgumentException("A table key needs at least one part.", nameof(parts));
        }

        var escaped = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            escaped[i] = EscapePart(parts[i]);
        }

        var key = string.Join(Separator, escaped);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException(
                $"The table key starting '{key[..40]}' is {key.Length} characters after escaping; Table Storage keys hold at most {MaxLength}. " +
                "Use shorter ids (job ids in the job file are the usual cause).",
                nameof(parts));
        }

        return key;
    }

    /// <summary>Splits a key built by <see cref="Compose"/> back into its parts.</summary>
    public static string[] Decompose(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Split(Separator).Select(UnescapePart).ToArray();
    }

    private static bool MustEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or Escape or Separator || char.IsControl(c);
}
