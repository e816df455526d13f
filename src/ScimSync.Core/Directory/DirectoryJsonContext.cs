using System.Text.Json.Serialization;

namespace ScimSync.Core.Directory;

/// <summary>Source-generated JSON for values the directory reader builds.</summary>
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class DirectoryJsonContext : JsonSerializerContext;
