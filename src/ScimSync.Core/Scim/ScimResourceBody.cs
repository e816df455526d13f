using System.Text.Json;
using System.Text.Json.Nodes;
using ScimSync.Core.Directory;

namespace ScimSync.Core.Scim;

/// <summary>
/// Converts between <see cref="ScimAttributes"/> (path → value) and SCIM JSON resource bodies, both ways:
/// <c>emails[type eq "work"].value</c> becomes <c>emails:[{type:"work",value,primary:true}]</c>,
/// <c>name.givenName</c> becomes <c>name:{givenName}</c>, extension paths go under their schema URN.
/// </summary>
public static class ScimResourceBody
{
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    // Read separately (ids, membership) or owned by the target.
    private static readonly HashSet<string> NotAttributes = new(StringComparer.OrdinalIgnoreCase) { "schemas", "id", "meta", "members", "groups" };

    /// <summary>
    /// A POST or PUT body from attributes. JSON null values are left out: on create there is nothing to clear, and
    /// a PUT clears whatever it does not mention.
    /// </summary>
    public static JsonObject Build(ObjectKind kind, ScimAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var schemas = new List<string> { ScimSchemas.CoreSchemaOf(kind) };
        var root = new JsonObject(CaseInsensitive);
        foreach (var (text, value) in attributes.Values)
        {
            if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                continue;
            }

            var path = ScimPath.Parse(text);
            var target = root;
            if (path.Schema is { } schema)
            {
                if (!schemas.Contains(schema, StringComparer.OrdinalIgnoreCase))
                {
                    schemas.Add(schema);
                }

                target = ChildObject(root, schema);
            }

            Set(target, path, JsonSerializer.SerializeToNode(value, ScimJsonContext.Wire.JsonElement));
        }

        var body = new JsonObject { ["schemas"] = new JsonArray(schemas.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()) };
        foreach (var (name, node) in root.ToList())
        {
            root.Remove(name);
            body[name] = node;
        }

        return body;
    }

    /// <summary>
    /// The attributes of a returned resource by path, for comparison with what was asked: complex attributes
    /// flatten to <c>name.sub</c>, typed multi-valued attributes to <c>name[type eq "t"].sub</c>, extension
    /// attributes to <c>urn:…:attr</c>. <c>id</c>, <c>meta</c>, <c>schemas</c>, <c>members</c> and <c>groups</c>
    /// are not attributes here.
    /// </summary>
    public static ScimAttributes Read(JsonElement body)
    {
        var values = new List<KeyValuePair<string, JsonElement>>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ScimAttributes.Empty;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (NotAttributes.Contains(property.Name))
            {
                continue;
            }

            if (ScimSchemas.IsUrnPath(property.Name) && property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var extension in property.Value.EnumerateObject())
                {
                    Flatten(values, property.Name + ":", extension.Name, extension.Value);
                }
            }
            else
            {
                Flatten(values, string.Empty, property.Name, property.Value);
            }
        }

        return ScimAttributes.From(values);
    }

    private static void Flatten(List<KeyValuePair<string, JsonElement>> values, string prefix, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var sub in value.EnumerateObject())
                {
                    values.Add(new(prefix + name + "." + sub.Name, sub.Value.Clone()));
                }

                break;
            case JsonValueKind.Array when IsTypedList(value):
                foreach (var element in value.EnumerateArray())
                {
                    var type = element.GetProperty("type").GetString()!;
                    var selector = new ScimPath(null, name, "type", type, null).ToString();
                    foreach (var sub in element.EnumerateObject())
                    {
                        if (!string.Equals(sub.Name, "type", StringComparison.OrdinalIgnoreCase))
                        {
                            values.Add(new(prefix + selector + "." + sub.Name, sub.Value.Clone()));
                        }
                    }
                }

                break;
            default:
                values.Add(new(prefix + name, value.Clone()));
                break;
        }
    }

    // A multi-valued attribute whose elements are objects with distinct "type" values can be addressed per type.
    private static bool IsTypedList(JsonElement array)
    {
        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var any = false;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out var type)
                || type.ValueKind != JsonValueKind.String || !types.Add(type.GetString()!))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private static void Set(JsonObject target, ScimPath path, JsonNode? value)
    {
        if (path.FilterAttribute is { } filterAttribute)
        {
            var list = target[path.Attribute] as JsonArray;
            if (list is null)
            {
                list = [];
                target[path.Attribute] = list;
            }

            var element = list.OfType<JsonObject>().FirstOrDefault(item =>
                item[filterAttribute] is JsonValue existing && existing.TryGetValue<string>(out var text)
                && string.Equals(text, path.FilterValue, StringComparison.OrdinalIgnoreCase));
            if (element is null)
            {
                element = new JsonObject(CaseInsensitive) { [filterAttribute] = path.FilterValue };
                if (list.Count == 0 && string.Equals(filterAttribute, "type", StringComparison.OrdinalIgnoreCase))
                {
                    // RFC 7643 §2.4: one value of a multi-valued attribute may be primary; Atlassian requires a
                    // primary email. The first typed value created is the primary one unless a path says otherwise.
                    element["primary"] = true;
                }

                list.Add(element);
            }

            if (path.SubAttribute is { } sub)
            {
                element[sub] = value;
            }
            else if (value is JsonObject fields)
            {
                foreach (var (name, node) in fields.ToList())
                {
                    fields.Remove(name);
                    element[name] = node;
                }
            }
            else
            {
                throw new FormatException($"'{path}' selects an element of '{path.Attribute}' and needs a sub-attribute or an object value.");
            }

            return;
        }

        if (path.SubAttribute is { } subAttribute)
        {
            ChildObject(target, path.Attribute)[subAttribute] = value;
            return;
        }

        if (target[path.Attribute] is JsonObject existingObject && value is JsonObject newObject)
        {
            foreach (var (name, node) in newObject.ToList())
            {
                newObject.Remove(name);
                existingObject[name] = node;
            }

            return;
        }

        target[path.Attribute] = value;
    }

    private static JsonObject ChildObject(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject(CaseInsensitive);
        parent[name] = created;
        return created;
    }
}
