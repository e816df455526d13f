using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ScimSync.Admin.Page;

/// <summary>
/// Builds HTML where every value goes through <see cref="Text"/> (HTML-encoded) and only the page's own markup goes
/// through <see cref="Raw"/>, so a display name holding markup is shown as the characters it is.
/// </summary>
internal sealed class HtmlText
{
    // Letters of every script stay readable in the source; markup characters and quotes are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _html = new(16 * 1024);

    public static string Encode(string? value) => Encoder.Encode(value ?? string.Empty);

    public HtmlText Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    public HtmlText Text(string? value)
    {
        _html.Append(Encode(value));
        return this;
    }

    public HtmlText Number(long value) => Raw(value.ToString("N0", CultureInfo.InvariantCulture));

    /// <summary>An element with encoded text content: <c>&lt;td&gt;value&lt;/td&gt;</c>.</summary>
    public HtmlText Element(string tag, string? value, string? attributes = null) =>
        Raw("<").Raw(tag).Raw(attributes is null ? string.Empty : " " + attributes).Raw(">").Text(value).Raw("</").Raw(tag).Raw(">");

    /// <summary>An attribute with an encoded value, with a leading space.</summary>
    public static string Attribute(string name, string? value) => " " + name + "=\"" + Encode(value) + "\"";

    public override string ToString() => _html.ToString();
}
