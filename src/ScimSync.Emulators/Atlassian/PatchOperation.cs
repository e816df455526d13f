using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

internal enum PatchOpKind
{
    Add,
    Replace,
    Remove,
}

/// <summary>One PATCH operation (RFC 7644 §3.5.2; atlassian-scim-api.md §9; entra-provisioning-service.md §5).</summary>
internal sealed record PatchOperation(PatchOpKind Kind, string? Path, JsonNode? Value)
{
    /// <summary>
    /// Reads a PatchOp body. The operations array may be named <c>Operations</c> (RFC, Atlassian's example, Entra) or
    /// <c>operations</c> (Atlassian's OpenAPI model); <c>op</c> may be in any case (Entra sends <c>Add</c>/<c>Replace</c>/<c>Remove</c>,
    /// or lower case with the aadOptscim062020 flag).
    /// </summary>
    public static IReadOnlyList<PatchOperation> ParseRequest(JsonObject body)
    {
        RequestBody.RequireSchema(body, ScimUrns.PatchOp);
        if (body["Operations"] is not JsonArray operations)
        {
            throw ScimException.InvalidSyntax("A PATCH body needs an 'Operations' array.");
        }

        if (operations.Count == 0)
        {
            throw ScimException.InvalidSyntax("The 'Operations' array is empty.");
        }

        return [.. operations.Select(Parse)];
    }

    private static PatchOperation Parse(JsonNode? node, int index)
    {
        if (node is not JsonObject operation)
        {
            throw ScimException.InvalidSyntax($"Operations[{index}] is not an object.");
        }

        var opText = operation["op"] is JsonValue op && op.TryGetValue<string>(out var text) ? text : null;
        PatchOpKind kind = opText?.ToUpperInvariant() switch
        {
            "ADD" => PatchOpKind.Add,
            "REPLACE" => PatchOpKind.Replace,
            "REMOVE" => PatchOpKind.Remove,
            _ => throw ScimException.InvalidSyntax($"Operations[{index}].op is '{opText}'; expected add, replace or remove."),
        };

        string? path = null;
        if (operation["path"] is { } pathNode)
        {
            path = pathNode is JsonValue pathValue && pathValue.TryGetValue<string>(out var p)
                ? p
                : throw ScimException.InvalidPath($"Operations[{index}].path is not a string.");
        }

        if (kind == PatchOpKind.Remove && string.IsNullOrWhiteSpace(path))
        {
            throw ScimException.NoTarget($"Operations[{index}] is a remove without a path.");
        }

        if (kind != PatchOpKind.Remove && !operation.ContainsKey("value"))
        {
            throw ScimException.InvalidValue($"Operations[{index}] ({opText}) has no value.");
        }

        return new PatchOperation(kind, string.IsNullOrWhiteSpace(path) ? null : path, operation["value"]);
    }
}
