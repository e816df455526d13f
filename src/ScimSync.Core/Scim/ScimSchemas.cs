namespace ScimSync.Core.Scim;

/// <summary>The SCIM schema and message URNs ScimSync reads and writes (RFC 7643, RFC 7644, vendor extensions).</summary>
public static class ScimSchemas
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string ServiceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public const string ResourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string Error = "urn:ietf:params:scim:api:messages:2.0:Error";

    /// <summary>Atlassian's read-only extension carrying the linked Atlassian account id.</summary>
    public const string AtlassianExternal = "urn:scim:schemas:extension:atlassian-external:1.0";

    /// <summary>The core schema of a resource kind.</summary>
    public static string CoreSchemaOf(Directory.ObjectKind kind) => kind switch
    {
        Directory.ObjectKind.User => User,
        Directory.ObjectKind.Group => Group,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown object kind."),
    };

    /// <summary>True when <paramref name="path"/> starts with a schema URN (an extension attribute path).</summary>
    public static bool IsUrnPath(string path) => path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase);
}
