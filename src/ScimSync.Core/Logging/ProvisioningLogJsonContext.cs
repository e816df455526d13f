using System.Text.Json;
using System.Text.Json.Serialization;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Logging;

// The stored and exported form of a log entry: Graph's camelCase names, enums as strings.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(JobIdJsonConverter)])]
[JsonSerializable(typeof(ProvisioningLogEntry))]
internal sealed partial class ProvisioningLogJsonContext : JsonSerializerContext;

/// <summary>Writes a job id as the plain string Graph uses for <c>jobId</c>.</summary>
internal sealed class JobIdJsonConverter : JsonConverter<JobId>
{
    public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A job id must be a string."));

    public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
