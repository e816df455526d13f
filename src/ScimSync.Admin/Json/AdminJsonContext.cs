using System.Text.Json;
using System.Text.Json.Serialization;
using ScimSync.Core.Admin;
using ScimSync.Core.Identity;

namespace ScimSync.Admin.Json;

// What the admin API answers: camelCase, enums as text, ids as plain strings, absent values left out.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(JobIdJsonConverter), typeof(SourceIdJsonConverter), typeof(TargetIdJsonConverter)])]
[JsonSerializable(typeof(AdminStatus))]
[JsonSerializable(typeof(AdminLogPage))]
[JsonSerializable(typeof(JobActionResult))]
[JsonSerializable(typeof(JobPlan))]
[JsonSerializable(typeof(OnDemandProvisioning))]
[JsonSerializable(typeof(ProvisionRequest))]
[JsonSerializable(typeof(ScimSync.Core.Drift.DriftScanReport))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;

internal sealed class JobIdJsonConverter : JsonConverter<JobId>
{
    public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class SourceIdJsonConverter : JsonConverter<SourceId>
{
    public override SourceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, SourceId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class TargetIdJsonConverter : JsonConverter<TargetId>
{
    public override TargetId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, TargetId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
