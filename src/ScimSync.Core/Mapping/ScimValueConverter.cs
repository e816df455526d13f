using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ScimSync.Core.Mapping.Expressions;

namespace ScimSync.Core.Mapping;

/// <summary>Turns an expression value into the JSON sent for a target path, checking it fits the target.</summary>
internal static class ScimValueConverter
{
    /// <summary>SCIM dateTime (xsd:dateTime) in UTC.</summary>
    public const string ScimDateFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static readonly JsonElement JsonTrue = JsonDocument.Parse("true").RootElement.Clone();
    private static readonly JsonElement JsonFalse = JsonDocument.Parse("false").RootElement.Clone();

    /// <summary>The JSON for <paramref name="value"/> at <paramref name="target"/>, or a reason it does not fit.</summary>
    public static JsonElement Convert(ExpressionValue value, TargetPath target, out string? problem)
    {
        problem = null;
        if (value.Kind == ExpressionValueKind.List && target.IsSingleValued)
        {
            var items = value.ListValue;
            if (items.Length != 1)
            {
                problem = $"the mapping produced {items.Length} values but '{target.Text}' holds one value; pick one with Item() or combine them with Join()";
                return default;
            }

            value = items[0];
        }

        if (target.IsBoolean)
        {
            bool? flag = value.Kind switch
            {
                ExpressionValueKind.Boolean => value.BooleanValue,
                ExpressionValueKind.Text when bool.TryParse(value.StringValue.Trim(), out var parsed) => parsed,
                _ => null,
            };
            if (flag is null)
            {
                problem = $"'{target.Text}' is a Boolean attribute but the mapping produced {value}; produce True or False";
                return default;
            }

            return flag.Value ? JsonTrue : JsonFalse;
        }

        if (value.Kind == ExpressionValueKind.Json)
        {
            return value.JsonValue;
        }

        // One buffer and writer per thread: converting is on the hot path of every cycle.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, value);
        writer.Flush();

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private static void Write(Utf8JsonWriter writer, ExpressionValue value)
    {
        switch (value.Kind)
        {
            case ExpressionValueKind.Null:
                writer.WriteNullValue();
                break;
            case ExpressionValueKind.Text:
                writer.WriteStringValue(value.StringValue);
                break;
            case ExpressionValueKind.Boolean:
                writer.WriteBooleanValue(value.BooleanValue);
                break;
            case ExpressionValueKind.Number:
                writer.WriteNumberValue(value.NumberValue);
                break;
            case ExpressionValueKind.Date:
                writer.WriteStringValue(value.DateValue.ToString(ScimDateFormat, CultureInfo.InvariantCulture));
                break;
            case ExpressionValueKind.Json:
                value.JsonValue.WriteTo(writer);
                break;
            case ExpressionValueKind.List:
                writer.WriteStartArray();
                foreach (var item in value.ListValue)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
        }
    }
}
