using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// /ServiceProviderConfig, /ResourceTypes and /Schemas. Atlassian's spec leaves their bodies undocumented (§2), so
/// these follow RFC 7643 §5–§7 and state what the reference does document: PATCH yes, bulk no, filter yes with pages
/// of at most 100 (§3), no sorting, no ETags, no password change.
/// </summary>
internal static class DiscoveryDocuments
{
    public static JsonObject ServiceProviderConfig(string baseUrl, int maxResults) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.ServiceProviderConfig),
        ["documentationUri"] = "https://developer.atlassian.com/cloud/admin/user-provisioning/rest/intro/",
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = maxResults },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "Directory API key",
            ["description"] = "The directory's API key, sent as 'Authorization: Bearer <key>'.",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = $"{baseUrl}/ServiceProviderConfig" },
    };

    public static IReadOnlyList<JsonObject> ResourceTypes(string baseUrl) =>
    [
        ResourceType("User", "/Users", ScimUrns.User, baseUrl, ScimUrns.EnterpriseUser, ScimUrns.AtlassianExternal),
        ResourceType("Group", "/Groups", ScimUrns.Group, baseUrl),
    ];

    public static IReadOnlyList<JsonObject> Schemas(string baseUrl) =>
    [
        Schema(ScimUrns.User, "User", "User Account", baseUrl,
            Attribute("userName", required: true, uniqueness: "server"),
            Attribute("name", type: "complex", subAttributes: [.. UserAttributes.NameParts.Select(part => Attribute(part))]),
            Attribute("displayName"),
            Attribute("nickName"),
            Attribute("title"),
            Attribute("preferredLanguage"),
            Attribute("department"),
            Attribute("organization"),
            Attribute("timezone"),
            Attribute("active", type: "boolean"),
            Attribute("emails", type: "complex", multiValued: true, required: true, subAttributes: MultiValuedParts()),
            Attribute("phoneNumbers", type: "complex", multiValued: true, subAttributes: MultiValuedParts()),
            Attribute("groups", type: "complex", multiValued: true, mutability: "readOnly", subAttributes:
            [
                Attribute("value", mutability: "readOnly"),
                Attribute("display", mutability: "readOnly"),
                Attribute("type", mutability: "readOnly"),
                Attribute("$ref", type: "reference", mutability: "readOnly"),
            ])),
        Schema(ScimUrns.Group, "Group", "Group", baseUrl,
            Attribute("displayName", required: true, mutability: "immutable", uniqueness: "server"),
            Attribute("members", type: "complex", multiValued: true, subAttributes:
            [
                Attribute("value", mutability: "immutable"),
                Attribute("display", mutability: "readOnly"),
                Attribute("type", mutability: "immutable"),
                Attribute("$ref", type: "reference", mutability: "immutable"),
            ])),
        Schema(ScimUrns.EnterpriseUser, "EnterpriseUser", "Enterprise User", baseUrl,
            Attribute("organization"),
            Attribute("department")),
    ];

    private static JsonObject ResourceType(string name, string endpoint, string schema, string baseUrl, params string[] extensions) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.ResourceType),
        ["id"] = name,
        ["name"] = name,
        ["endpoint"] = endpoint,
        ["description"] = name,
        ["schema"] = schema,
        ["schemaExtensions"] = new JsonArray([.. extensions.Select(extension => (JsonNode)new JsonObject
        {
            ["schema"] = extension,
            ["required"] = false,
        })]),
        ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = $"{baseUrl}/ResourceTypes/{name}" },
    };

    private static JsonObject Schema(string id, string name, string description, string baseUrl, params JsonObject[] attributes) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.Schema),
        ["id"] = id,
        ["name"] = name,
        ["description"] = description,
        ["attributes"] = new JsonArray([.. attributes]),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = $"{baseUrl}/Schemas/{id}" },
    };

    private static JsonObject[] MultiValuedParts() =>
    [
        Attribute("value"),
        Attribute("type"),
        Attribute("primary", type: "boolean"),
    ];

    private static JsonObject Attribute(
        string name,
        string type = "string",
        bool multiValued = false,
        bool required = false,
        string mutability = "readWrite",
        string uniqueness = "none",
        JsonObject[]? subAttributes = null)
    {
        var attribute = new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["multiValued"] = multiValued,
            ["required"] = required,
            ["caseExact"] = false,
            ["mutability"] = mutability,
            ["returned"] = "default",
            ["uniqueness"] = uniqueness,
        };
        if (subAttributes is not null)
        {
            attribute["subAttributes"] = new JsonArray([.. subAttributes]);
        }

        return attribute;
    }
}
