using System.Text.Json;
using System.Text.Json.Serialization;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;

namespace ScimSync.Cli.Output;

// What --format json prints: camelCase, enums as text, ids as plain strings.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(JobIdConverter), typeof(SourceIdConverter), typeof(TargetIdConverter)])]
[JsonSerializable(typeof(IReadOnlyList<ProvisioningLogEntry>))]
[JsonSerializable(typeof(IReadOnlyList<JobStatusView>))]
[JsonSerializable(typeof(IReadOnlyList<Commands.JobPlanView>))]
[JsonSerializable(typeof(IReadOnlyList<ScimSync.Core.Drift.DriftScanReport>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

internal sealed class JobIdConverter : JsonConverter<JobId>
{
    public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class SourceIdConverter : JsonConverter<SourceId>
{
    public override SourceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, SourceId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class TargetIdConverter : JsonConverter<TargetId>
{
    public override TargetId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, TargetId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
