using System.Text;

namespace ScimSync.Core.Scim;

/// <summary>Builds SCIM filter expressions (RFC 7644 §3.4.2.2) with values escaped as JSON strings.</summary>
public static class ScimFilter
{
    /// <summary><c>attribute eq "value"</c>, with quotes and backslashes in the value escaped; other characters,
    /// unicode included, pass through unchanged.</summary>
    public static string Equal(string attribute, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(attribute);
        ArgumentNullException.ThrowIfNull(value);
        return $"{attribute} eq \"{Escape(value)}\"";
    }

    /// <summary>Escapes a value for use inside a quoted filter string: <c>\</c> becomes <c>\\</c>, <c>"</c> becomes
    /// <c>\"</c>, and control characters get JSON escapes.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case < ' ': builder.Append(@"\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
