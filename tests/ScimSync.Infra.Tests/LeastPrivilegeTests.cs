using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScimSync.Infra.Tests.Infrastructure;

namespace ScimSync.Infra.Tests;

public sealed partial class LeastPrivilegeTests
{
    // Built-in roles that can do far more than run ScimSync: manage resources, grant access, or own data.
    private static readonly Dictionary<string, string> ForbiddenRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["18d7d88d-d35e-4fb5-a5c3-7773c6a72d67"] = "User Access Administrator",
        ["f58310d9-a9f6-439a-9e8d-f62e7b41a168"] = "Role Based Access Control Administrator",
        ["17d1049b-9a84-46fb-8f53-869881c3d3ab"] = "Storage Account Contributor",
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["090c5cfd-751d-490a-894a-3ce6f1109419"] = "Azure Service Bus Data Owner",
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = "Key Vault Administrator",
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = "Key Vault Secrets Officer",
        ["f25e0fa2-a7c8-4377-a976-54943a77a395"] = "Key Vault Contributor",
    };

    // The narrowest built-in role for each thing the app does; anything else needs a reason and an entry here.
    private static readonly Dictionary<string, string> AllowedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["69a216fc-b8fb-44d8-bc22-1f3c2552ae39"] = "Azure Service Bus Data Sender",
        ["4f6d3b08-988c-4b3b-a8f3-b2c5a5d79a3d"] = "Azure Service Bus Data Receiver",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["73c42c96-874c-492b-b04d-ab87d138a893"] = "Log Analytics Reader",
    };

    private static CompiledTemplate Template => CompiledTemplate.MainTemplate;

    private static List<(TemplateResource Assignment, string RoleId)> Assignments() =>
        Template.OfType("Microsoft.Authorization/roleAssignments").Select(a => (a, RoleIdOf(a))).ToList();

    [Fact]
    public void The_deployment_assigns_roles()
    {
        Assert.True(Assignments().Count >= 5, "the app's identity needs roles on storage, Key Vault and Application Insights");
    }

    [Fact]
    public void No_role_assignment_grants_owner_contributor_or_a_data_owner_role()
    {
        var forbidden = Assignments().Where(a => ForbiddenRoles.ContainsKey(a.RoleId))
            .Select(a => $"{a.Assignment.Module}: {ForbiddenRoles[a.RoleId]}").ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void Every_role_assignment_is_one_of_the_narrow_roles_the_app_needs()
    {
        var unexpected = Assignments().Where(a => !AllowedRoles.ContainsKey(a.RoleId))
            .Select(a => $"{a.Assignment.Module}: {a.RoleId}").ToList();

        Assert.Empty(unexpected);
    }

    [Fact]
    public void Every_role_goes_to_the_apps_identity_except_the_alert_rules_right_to_read_logs()
    {
        foreach (var (assignment, roleId) in Assignments())
        {
            Assert.Equal("ServicePrincipal", assignment.Properties["principalType"]?.GetValue<string>());
            var principal = assignment.Properties["principalId"]!.GetValue<string>();
            if (AllowedRoles.GetValueOrDefault(roleId) == "Log Analytics Reader")
            {
                Assert.Equal("[reference('jobNeedsAdmin', '2023-12-01', 'full').identity.principalId]", principal);
            }
            else
            {
                Assert.Matches(@"^\[parameters\('(appPrincipalId|readerPrincipalId|publisherPrincipalId)'\)\]$", principal);
            }
        }

        // Every module's principal id is the user-assigned identity's, passed from main.bicep.
        Assert.Single(CompiledTemplate.MainTemplate.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.All(
            CompiledTemplate.MainTemplate.OfType("Microsoft.Resources/deployments")
                .Where(d => d.Body["properties"]!["parameters"]!.AsObject().Any(p => p.Key.EndsWith("PrincipalId", StringComparison.Ordinal))),
            d => Assert.All(
                d.Body["properties"]!["parameters"]!.AsObject().Where(p => p.Key.EndsWith("PrincipalId", StringComparison.Ordinal)),
                p => Assert.Matches(@"'Microsoft\.Resources/deployments', 'identity'\), '[0-9-]+'\)\.outputs\.principalId\.value\]$", p.Value!["value"]!.GetValue<string>())));
    }

    [Fact]
    public void Every_role_in_the_sources_is_commented_with_the_roles_name()
    {
        var roleIds = Assignments().Select(a => a.Assignment.Variable("roles")).OfType<JsonObject>().First()
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var uncommented = new List<string>();
        foreach (var file in Repository.BicepFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var ids = RoleGuid().Matches(lines[i]).Select(m => m.Value)
                    .Concat(RoleUse().Matches(lines[i]).Select(m => roleIds.GetValueOrDefault(m.Groups[1].Value, m.Value)));
                foreach (var id in ids)
                {
                    var name = AllowedRoles.GetValueOrDefault(id) ?? ForbiddenRoles.GetValueOrDefault(id) ?? $"(the name of role {id})";
                    if (i == 0 || !lines[i - 1].TrimStart().StartsWith($"// {name}", StringComparison.Ordinal))
                    {
                        uncommented.Add($"{Path.GetRelativePath(Repository.Infra, file)}:{i + 1} needs the comment '// {name}' on the line above");
                    }
                }
            }
        }

        Assert.Empty(uncommented);
    }

    [Fact]
    public void Shared_key_access_is_off_on_every_storage_account()
    {
        var accounts = Template.OfType("Microsoft.Storage/storageAccounts").ToList();

        Assert.NotEmpty(accounts);
        Assert.All(accounts, account =>
        {
            Assert.False(account.Properties["allowSharedKeyAccess"]!.GetValue<bool>());
            Assert.False(account.Properties["allowBlobPublicAccess"]!.GetValue<bool>());
            Assert.True(account.Properties["defaultToOAuthAuthentication"]!.GetValue<bool>());
        });
    }

    [Fact]
    public void Every_other_service_accepts_Entra_identities_only()
    {
        Assert.All(Template.OfType("Microsoft.ServiceBus/namespaces"), bus => Assert.True(bus.Properties["disableLocalAuth"]!.GetValue<bool>()));
        Assert.True(Template.Single("Microsoft.Insights/components").Properties["DisableLocalAuth"]!.GetValue<bool>());
        Assert.True(Template.Single("Microsoft.OperationalInsights/workspaces").Properties["features"]!["disableLocalAuth"]!.GetValue<bool>());
        Assert.True(Template.Single("Microsoft.KeyVault/vaults").Properties["enableRbacAuthorization"]!.GetValue<bool>());
        var publishing = Template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(2, publishing.Count);
        Assert.All(publishing, policy => Assert.False(policy.Properties["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void The_function_app_runs_as_its_user_assigned_identity_everywhere()
    {
        var site = Template.Single("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", site.Body["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("[parameters('identityId')]", site.Properties["keyVaultReferenceIdentity"]!.GetValue<string>());
        var deployment = site.Properties["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;
        Assert.Equal("UserAssignedIdentity", deployment["type"]!.GetValue<string>());
        Assert.True(site.Properties["httpsOnly"]!.GetValue<bool>());
    }

    private static string RoleIdOf(TemplateResource assignment)
    {
        var expression = assignment.Properties["roleDefinitionId"]!.GetValue<string>();
        if (RoleGuid().Match(expression) is { Success: true } literal)
        {
            return literal.Value;
        }

        var reference = RoleReference().Match(expression);
        Assert.True(reference.Success, $"cannot read the role of {expression}");
        var roles = assignment.Variable(reference.Groups[1].Value)!.AsObject();
        return roles[reference.Groups[2].Value]!.GetValue<string>();
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex RoleGuid();

    [GeneratedRegex(@"roleDefinitionId: .*\broles\.(\w+)")]
    private static partial Regex RoleUse();

    [GeneratedRegex(@"variables\('(\w+)'\)\.(\w+)")]
    private static partial Regex RoleReference();
}
