using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping.Expressions;

namespace ScimSync.Core.Tests.Mapping;

internal static class MappingTestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Now);

    public static SourceObject User(string json, string id = "97a8ce9a-db72-5cf3-8690-43c038a08250") => Object(ObjectKind.User, json, id);

    public static SourceObject Group(string json, string id = "f73b2383-8da9-5d03-8752-f5cb83cd6c39") => Object(ObjectKind.Group, json, id);

    private static SourceObject Object(ObjectKind kind, string json, string id)
    {
        using var document = JsonDocument.Parse(json);
        return SourceObject.Create(new SourceId(id), kind,
            document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())).ToList());
    }

    public static ExpressionValue Evaluate(string expression, string json = "{}") =>
        ExpressionParser.Parse(expression).Evaluate(User(json), Clock());

    /// <summary>Evaluates and returns the text result, failing when the result is not text.</summary>
    public static string Text(string expression, string json = "{}")
    {
        var value = Evaluate(expression, json);
        Assert.True(value.Kind == ExpressionValueKind.Text, $"{expression} gave {value}, not text");
        return value.StringValue;
    }

    /// <summary>The result as Entra would render it as text (dates as M/d/yyyy h:mm:ss tt), or null.</summary>
    public static string? Rendered(string expression, string json = "{}") => Evaluate(expression, json).ToText();
}
