using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// Applies PATCH operations, and the attributes of POST and PUT bodies, to a user record (RFC 7644 §3.5.2 with the
/// forms Entra sends, entra-provisioning-service.md §5). Work on a copy: a failed operation leaves it half-changed.
/// </summary>
internal sealed class UserPatcher(UserResource user, EnterpriseExtensionMode enterprise = EnterpriseExtensionMode.Stored)
{
    private static readonly string[] Schemas = [ScimUrns.User, ScimUrns.EnterpriseUser, ScimUrns.AtlassianExternal];

    // Attributes of a POST/PUT body that are read-only or only echo the resource type: ignored on input (§4: "id …
    // is ignored on input"). Unknown attributes (e.g. Entra's "roles": []) are ignored on input as well.
    private static readonly HashSet<string> IgnoredOnInput =
        new(["schemas", "id", "meta", "groups", ScimUrns.AtlassianExternal], StringComparer.OrdinalIgnoreCase);

    public void Apply(PatchOperation operation)
    {
        if (operation.Path is not null)
        {
            ApplyPath(operation.Kind, operation.Path, operation.Value);
            return;
        }

        // Pathless add/replace: each member of the value object is applied as if it were a path, which covers Entra's
        // collapsed form {"displayName": …, "name.givenName": …, "urn:…:enterprise:2.0:User:department": …}.
        if (operation.Value is not JsonObject members)
        {
            throw ScimException.InvalidValue("An add or replace without a path needs an object value.");
        }

        foreach (var (key, value) in members.ToList())
        {
            ApplyPath(operation.Kind, key, value);
        }
    }

    /// <summary>
    /// Sets every supported attribute of a POST or PUT body. Read-only and unknown attributes, including unknown members
    /// of <c>name</c> and of the enterprise extension (e.g. Entra's <c>employeeNumber</c>), are ignored, not refused.
    /// </summary>
    public void ApplyBody(JsonObject body)
    {
        foreach (var (key, value) in body.ToList())
        {
            var path = IgnoredOnInput.Contains(key) ? null : TryParse(key);
            if (path is null || path.Filter is not null)
            {
                continue;
            }

            if (path.Schema == ScimUrns.EnterpriseUser)
            {
                if (enterprise != EnterpriseExtensionMode.Stored)
                {
                    // Read-only attributes are ignored on input (RFC 7643 §7), as the schema marks these (§4).
                }
                else if (path.Attribute is null && value is JsonObject extension)
                {
                    SetKnown(extension, UserAttributes.CanonicalEnterprise);
                }
                else if (path.Attribute is not null && path.SubAttribute is null && UserAttributes.CanonicalEnterprise(path.Attribute) is { } canonical)
                {
                    SetSimple(PatchOpKind.Add, canonical, value);
                }

                continue;
            }

            if (path.Schema != ScimUrns.User || path.Attribute is null)
            {
                continue;
            }

            if (path.Attribute.Equals("name", StringComparison.OrdinalIgnoreCase) && path.SubAttribute is null && value is JsonObject name)
            {
                SetKnown(name, UserAttributes.CanonicalNamePart);
            }
            else if (UserAttributes.CanonicalCore(path.Attribute) is not null
                     || path.Attribute.ToUpperInvariant() is "USERNAME" or "ACTIVE" or "NAME" or "EMAILS" or "PHONENUMBERS")
            {
                ApplyPath(PatchOpKind.Add, key, value);
            }
        }
    }

    /// <summary>Checks what Atlassian requires of every user (atlassian-scim-api.md §4).</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(user.UserName))
        {
            throw ScimException.InvalidValue("'userName' is required.");
        }

        if (user.Emails.Count == 0)
        {
            throw ScimException.InvalidValue("'emails' is required: at least one email, one of them marked primary.");
        }

        var primaries = user.Emails.Count(email => email.Primary);
        if (primaries != 1)
        {
            throw ScimException.InvalidValue($"Exactly one email must be marked primary; {primaries} are.");
        }

        if (user.PhoneNumbers.Count(phone => phone.Primary) > 1)
        {
            throw ScimException.InvalidValue("At most one phone number can be marked primary.");
        }
    }

    private static ScimPath? TryParse(string key)
    {
        try
        {
            return ScimPath.Parse(key, ScimUrns.User, Schemas);
        }
        catch (ScimException)
        {
            return null;
        }
    }

    private void SetKnown(JsonObject members, Func<string, string?> canonicalOf)
    {
        foreach (var (key, member) in members.ToList())
        {
            if (canonicalOf(key) is { } canonical)
            {
                SetSimple(PatchOpKind.Add, canonical, member);
            }
        }
    }

    private void ApplyPath(PatchOpKind kind, string pathText, JsonNode? value)
    {
        var path = ScimPath.Parse(pathText, ScimUrns.User, Schemas);
        if (path.Schema == ScimUrns.AtlassianExternal)
        {
            throw ScimException.Mutability($"'{pathText}' is read-only: Atlassian sets the account id.");
        }

        if (path.Schema == ScimUrns.EnterpriseUser)
        {
            ApplyEnterprise(kind, path, value, pathText);
            return;
        }

        if (path.Attribute is null)
        {
            // The core schema URN alone: its value holds core attributes, as a pathless operation would.
            Apply(new PatchOperation(kind == PatchOpKind.Remove ? throw Unsupported(pathText) : kind, null, value));
            return;
        }

        var attribute = path.Attribute;
        switch (attribute.ToUpperInvariant())
        {
            case "USERNAME":
                RequirePlain(path, pathText);
                user.UserName = kind == PatchOpKind.Remove
                    ? throw ScimException.InvalidValue("'userName' is required and cannot be removed.")
                    : RequestBody.OptionalString(value, "userName") is { } userName && !string.IsNullOrWhiteSpace(userName)
                        ? userName
                        : throw ScimException.InvalidValue("'userName' must be a non-empty string.");
                return;
            case "ACTIVE":
                RequirePlain(path, pathText);
                user.Active = kind == PatchOpKind.Remove
                    ? throw ScimException.InvalidValue("'active' cannot be removed; replace it with true or false.")
                    : RequestBody.Boolean(value, "active");
                return;
            case "NAME":
                ApplyName(kind, path, value, pathText);
                return;
            case "EMAILS":
                new MultiValuedPatcher(user.Emails, "emails", isEmail: true).Apply(kind, path, value, pathText);
                return;
            case "PHONENUMBERS":
                new MultiValuedPatcher(user.PhoneNumbers, "phoneNumbers", isEmail: false).Apply(kind, path, value, pathText);
                return;
            case "ID" or "META" or "SCHEMAS" or "GROUPS":
                throw ScimException.Mutability($"'{attribute}' is read-only." +
                                               (attribute.Equals("groups", StringComparison.OrdinalIgnoreCase) ? " Change memberships through /Groups." : string.Empty));
        }

        var canonical = UserAttributes.CanonicalCore(attribute) ?? throw Unsupported(pathText);
        RequirePlain(path, pathText);
        SetSimple(kind, canonical, value);
    }

    private void ApplyName(PatchOpKind kind, ScimPath path, JsonNode? value, string pathText)
    {
        if (path.Filter is not null)
        {
            throw Unsupported(pathText);
        }

        if (path.SubAttribute is not null)
        {
            SetSimple(kind, UserAttributes.CanonicalNamePart(path.SubAttribute) ?? throw Unsupported(pathText), value);
            return;
        }

        if (kind == PatchOpKind.Remove)
        {
            foreach (var part in UserAttributes.NameParts)
            {
                user.Attributes.Remove("name." + part);
            }

            return;
        }

        if (value is not JsonObject parts)
        {
            throw ScimException.InvalidValue("'name' must be an object such as {\"givenName\": \"…\", \"familyName\": \"…\"}.");
        }

        foreach (var (key, part) in parts.ToList())
        {
            SetSimple(kind, UserAttributes.CanonicalNamePart(key) ?? throw Unsupported("name." + key), part);
        }
    }

    private void ApplyEnterprise(PatchOpKind kind, ScimPath path, JsonNode? value, string pathText)
    {
        if (enterprise == EnterpriseExtensionMode.ReadOnlyIgnored)
        {
            return;
        }

        if (enterprise == EnterpriseExtensionMode.ReadOnlyRefused)
        {
            throw ScimException.Mutability($"'{pathText}' is read-only in this directory's schema.");
        }

        if (path.Attribute is null)
        {
            if (kind == PatchOpKind.Remove)
            {
                foreach (var attribute in UserAttributes.Enterprise)
                {
                    user.Attributes.Remove(UserAttributes.CanonicalEnterprise(attribute)!);
                }

                return;
            }

            if (value is not JsonObject extension)
            {
                throw ScimException.InvalidValue($"'{ScimUrns.EnterpriseUser}' must be an object.");
            }

            foreach (var (key, member) in extension.ToList())
            {
                SetSimple(kind, UserAttributes.CanonicalEnterprise(key) ?? throw Unsupported($"{ScimUrns.EnterpriseUser}:{key}"), member);
            }

            return;
        }

        RequirePlain(path, pathText);
        SetSimple(kind, UserAttributes.CanonicalEnterprise(path.Attribute) ?? throw Unsupported(pathText), value);
    }

    private void SetSimple(PatchOpKind kind, string canonical, JsonNode? value)
    {
        var text = kind == PatchOpKind.Remove ? null : RequestBody.OptionalString(value, canonical);
        if (text is null)
        {
            user.Attributes.Remove(canonical);
        }
        else
        {
            user.Attributes[canonical] = text;
        }
    }

    private static void RequirePlain(ScimPath path, string pathText)
    {
        if (path.Filter is not null || path.SubAttribute is not null)
        {
            throw Unsupported(pathText);
        }
    }

    private static ScimException Unsupported(string pathText) =>
        ScimException.InvalidPath($"The path '{pathText}' is not an attribute this service supports.");
}
