using System.Globalization;
using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>Renders users and groups in the shape Atlassian answers with (atlassian-scim-api.md §4 and its sample).</summary>
internal static class ResourceJson
{
    public static JsonObject User(UserResource user, IEnumerable<GroupResource> groups, string baseUrl)
    {
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.AtlassianExternal, ScimUrns.User, ScimUrns.EnterpriseUser),
            ["userName"] = user.UserName,
            ["emails"] = MultiValues(user.Emails),
        };

        var name = new JsonObject();
        foreach (var part in UserAttributes.NameParts)
        {
            if (user.Attributes.TryGetValue("name." + part, out var value))
            {
                name[part] = value;
            }
        }

        if (name.Count > 0)
        {
            json["name"] = name;
        }

        foreach (var attribute in UserAttributes.Core.Where(a => a != UserAttributes.ExternalId))
        {
            if (user.Attributes.TryGetValue(attribute, out var value))
            {
                json[attribute] = value;
            }
        }

        if (user.PhoneNumbers.Count > 0)
        {
            json["phoneNumbers"] = MultiValues(user.PhoneNumbers);
        }

        var enterprise = new JsonObject();
        foreach (var attribute in UserAttributes.Enterprise)
        {
            if (user.Attributes.TryGetValue(UserAttributes.CanonicalEnterprise(attribute)!, out var value))
            {
                enterprise[attribute] = value;
            }
        }

        if (enterprise.Count > 0)
        {
            json[ScimUrns.EnterpriseUser] = enterprise;
        }

        json["meta"] = Meta("User", $"{baseUrl}/Users/{user.Id}", user.Created, user.LastModified);
        json["groups"] = new JsonArray([.. groups.Select(group => (JsonNode)new JsonObject
        {
            ["type"] = "direct",
            ["value"] = group.Id,
            ["display"] = group.DisplayName,
            ["$ref"] = $"{baseUrl}/Groups/{group.Id}",
        })]);
        json[ScimUrns.AtlassianExternal] = new JsonObject { ["atlassianAccountId"] = user.AccountId };
        json["id"] = user.Id;
        json["active"] = user.Active;
        if (user.Attributes.TryGetValue(UserAttributes.ExternalId, out var externalId))
        {
            json["externalId"] = externalId;
        }

        return json;
    }

    public static JsonObject Group(GroupResource group, Func<string, UserResource?> findUser, string baseUrl)
    {
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.Group),
            ["id"] = group.Id,
            ["displayName"] = group.DisplayName,
        };
        if (group.ExternalId is not null)
        {
            json["externalId"] = group.ExternalId;
        }

        json["members"] = new JsonArray([.. group.Members.Select(id => (JsonNode)new JsonObject
        {
            ["type"] = "User",
            ["value"] = id,
            ["display"] = findUser(id) is { } user ? user.DisplayName ?? user.UserName : null,
            ["$ref"] = $"{baseUrl}/Users/{id}",
        })]);
        json["meta"] = Meta("Group", $"{baseUrl}/Groups/{group.Id}", group.Created, group.LastModified);
        return json;
    }

    public static JsonObject ListResponse(int totalResults, int startIndex, IReadOnlyList<JsonObject> resources) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.ListResponse),
        ["totalResults"] = totalResults,
        ["startIndex"] = startIndex,
        ["itemsPerPage"] = resources.Count,
        ["Resources"] = new JsonArray([.. resources]),
    };

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Meta(string resourceType, string location, DateTimeOffset created, DateTimeOffset lastModified) => new()
    {
        ["resourceType"] = resourceType,
        ["location"] = location,
        ["lastModified"] = Timestamp(lastModified),
        ["created"] = Timestamp(created),
    };

    private static JsonArray MultiValues(IEnumerable<AtlassianMultiValue> values) =>
        new([.. values.Select(value =>
        {
            var entry = new JsonObject { ["value"] = value.Value };
            if (value.Type is not null)
            {
                entry["type"] = value.Type;
            }

            entry["primary"] = value.Primary;
            return (JsonNode)entry;
        })]);
}
