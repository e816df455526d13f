using System.Text.Json.Serialization;
using System.Text.Json;

namespace ScimSync.Core.Scoping;

/// <summary>Source-generated JSON for scope definitions (job file) and stored assignment snapshots.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ScopeDefinition))]
[JsonSerializable(typeof(AssignmentSnapshot))]
[JsonSerializable(typeof(bool))]
public sealed partial class ScopingJsonContext : JsonSerializerContext;
