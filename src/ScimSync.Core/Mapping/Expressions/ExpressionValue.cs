using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>The type of a value an expression produces.</summary>
public enum ExpressionValueKind
{
    Null,
    Text,
    Boolean,
    Number,
    Date,
    List,

    /// <summary>A JSON object or other structured Graph value that expressions pass through unchanged.</summary>
    Json,
}

/// <summary>
/// A runtime value of the expression language: null, string, Boolean, number, UTC date, a list (multi-valued
/// attribute) or a structured JSON value.
/// </summary>
public sealed class ExpressionValue
{
    /// <summary>Entra's date text format, used wherever a date becomes a string (CStr, Append, comparisons).</summary>
    public const string EntraDateFormat = "M/d/yyyy h:mm:ss tt";

    public static readonly ExpressionValue Null = new(ExpressionValueKind.Null, null, 0, default, false);
    public static readonly ExpressionValue True = new(ExpressionValueKind.Boolean, null, 0, default, true);
    public static readonly ExpressionValue False = new(ExpressionValueKind.Boolean, null, 0, default, false);
    public static readonly ExpressionValue EmptyString = new(ExpressionValueKind.Text, string.Empty, 0, default, false);

    private readonly object? _reference;
    private readonly decimal _number;
    private readonly DateTime _date;
    private readonly bool _boolean;

    private ExpressionValue(ExpressionValueKind kind, object? reference, decimal number, DateTime date, bool boolean)
    {
        Kind = kind;
        _reference = reference;
        _number = number;
        _date = date;
        _boolean = boolean;
    }

    public ExpressionValueKind Kind { get; }

    public bool IsNull => Kind == ExpressionValueKind.Null;

    /// <summary>True for null, the empty string and the empty list: what Entra calls "null or empty".</summary>
    public bool IsNullOrEmpty => Kind switch
    {
        ExpressionValueKind.Null => true,
        ExpressionValueKind.Text => ((string)_reference!).Length == 0,
        ExpressionValueKind.List => ((ImmutableArray<ExpressionValue>)_reference!).IsEmpty,
        _ => false,
    };

    public string StringValue => Kind == ExpressionValueKind.Text ? (string)_reference! : throw WrongKind(ExpressionValueKind.Text);

    public bool BooleanValue => Kind == ExpressionValueKind.Boolean ? _boolean : throw WrongKind(ExpressionValueKind.Boolean);

    public decimal NumberValue => Kind == ExpressionValueKind.Number ? _number : throw WrongKind(ExpressionValueKind.Number);

    /// <summary>The date in UTC.</summary>
    public DateTime DateValue => Kind == ExpressionValueKind.Date ? _date : throw WrongKind(ExpressionValueKind.Date);

    public ImmutableArray<ExpressionValue> ListValue =>
        Kind == ExpressionValueKind.List ? (ImmutableArray<ExpressionValue>)_reference! : throw WrongKind(ExpressionValueKind.List);

    public JsonElement JsonValue => Kind == ExpressionValueKind.Json ? (JsonElement)_reference! : throw WrongKind(ExpressionValueKind.Json);

    public static ExpressionValue FromString(string? value) =>
        value is null ? Null : value.Length == 0 ? EmptyString : new(ExpressionValueKind.Text, value, 0, default, false);

    public static ExpressionValue FromBoolean(bool value) => value ? True : False;

    public static ExpressionValue FromNumber(decimal value) => new(ExpressionValueKind.Number, null, value, default, false);

    public static ExpressionValue FromDate(DateTime value) =>
        new(ExpressionValueKind.Date, null, 0, value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc), false);

    public static ExpressionValue FromList(ImmutableArray<ExpressionValue> values) =>
        new(ExpressionValueKind.List, values, 0, default, false);

    public static ExpressionValue FromList(IEnumerable<ExpressionValue> values) => FromList(values.ToImmutableArray());

    /// <summary>Converts a Graph attribute value: strings, Booleans, numbers and arrays become their own kinds.</summary>
    public static ExpressionValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        JsonValueKind.String => FromString(element.GetString()),
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Number => element.TryGetDecimal(out var number) ? FromNumber(number) : FromString(element.GetRawText()),
        JsonValueKind.Array => FromList(element.EnumerateArray().Select(FromJson).ToImmutableArray()),
        _ => new ExpressionValue(ExpressionValueKind.Json, element, 0, default, false),
    };

    /// <summary>
    /// The values of a multi-valued attribute: a list's items, nothing for null, otherwise the value itself.
    /// </summary>
    public ImmutableArray<ExpressionValue> AsList() => Kind switch
    {
        ExpressionValueKind.List => ListValue,
        ExpressionValueKind.Null => [],
        _ => [this],
    };

    /// <summary>The value as text the way Entra renders it, or null for null. Lists have no single text form.</summary>
    public string? ToText() => Kind switch
    {
        ExpressionValueKind.Null => null,
        ExpressionValueKind.Text => (string)_reference!,
        ExpressionValueKind.Boolean => _boolean ? "True" : "False",
        ExpressionValueKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        ExpressionValueKind.Date => _date.ToString(EntraDateFormat, CultureInfo.InvariantCulture),
        ExpressionValueKind.Json => ((JsonElement)_reference!).GetRawText(),
        _ => throw new ExpressionEvaluationException(
            $"a multi-valued value ({ListValue.Length} values) was used where a single value is needed; use Item(), Join() or SingleAppRoleAssignment() to pick or combine values"),
    };

    public override string ToString() => Kind switch
    {
        ExpressionValueKind.Null => "null",
        ExpressionValueKind.List => "[" + string.Join(", ", ListValue.Select(v => v.ToString())) + "]",
        ExpressionValueKind.Text => "\"" + (string)_reference! + "\"",
        _ => ToText()!,
    };

    private InvalidOperationException WrongKind(ExpressionValueKind wanted) =>
        new($"The value is a {Kind}, not a {wanted}.");
}
