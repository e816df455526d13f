using ScimSync.Infra.Tests.Infrastructure;

namespace ScimSync.Infra.Tests;

/// <summary>The azd project: what `azd up` provisions, runs and packages fits together.</summary>
public sealed class DeploymentTests
{
    private static readonly string AzureYaml = File.ReadAllText(Repository.PathOf("azure.yaml"));

    [Fact]
    public void Azd_provisions_the_main_template_and_deploys_the_Functions_project()
    {
        Assert.Contains("path: infra", AzureYaml, StringComparison.Ordinal);
        Assert.Contains("module: main", AzureYaml, StringComparison.Ordinal);
        Assert.Contains("project: ./src/ScimSync.Functions", AzureYaml, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.PathOf("src", "ScimSync.Functions", "ScimSync.Functions.csproj")));
    }

    [Fact]
    public void The_service_azd_deploys_is_the_site_bicep_tags_for_it()
    {
        var tags = CompiledTemplate.MainTemplate.Single("Microsoft.Web/sites").Body["tags"]!.GetValue<string>();

        Assert.Contains("services:\n  functions:", AzureYaml.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("'azd-service-name', 'functions'", tags, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./infra/scripts/grant-graph-permissions.sh")]
    [InlineData("./infra/scripts/copy-jobs-file.sh")]
    public void Every_hook_azd_runs_exists_and_is_executable(string script)
    {
        Assert.Contains($"run: {script}", AzureYaml, StringComparison.Ordinal);
        var path = Repository.PathOf(script[2..].Split('/'));
        Assert.True(File.Exists(path), path);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
    }

    [Fact]
    public void The_job_file_azd_packages_is_the_one_the_app_setting_names()
    {
        var jobsFile = CompiledTemplate.MainTemplate.Root["parameters"]!["jobsFile"]!["defaultValue"]!.GetValue<string>();

        Assert.Contains($"src/ScimSync.Functions/{jobsFile}", File.ReadAllText(Repository.PathOf("infra", "scripts", "copy-jobs-file.sh")), StringComparison.Ordinal);
        Assert.Contains($"<None Update=\"{jobsFile}\" CopyToOutputDirectory=\"PreserveNewest\"",
            File.ReadAllText(Repository.PathOf("src", "ScimSync.Functions", "ScimSync.Functions.csproj")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_post_provision_step_grants_the_graph_permissions_a_scope_needs()
    {
        var script = File.ReadAllText(Repository.PathOf("infra", "scripts", "grant-graph-permissions.sh"));

        Assert.Contains("User.Read.All Group.Read.All", script, StringComparison.Ordinal);
        Assert.Contains("Application.Read.All", script, StringComparison.Ordinal);
        Assert.Contains("MANAGED_IDENTITY_PRINCIPAL_ID", script, StringComparison.Ordinal);
        Assert.NotNull(CompiledTemplate.MainTemplate.Root["outputs"]!["MANAGED_IDENTITY_PRINCIPAL_ID"]);
    }

    [Fact]
    public void Every_output_azd_needs_is_declared()
    {
        var outputs = CompiledTemplate.MainTemplate.Root["outputs"]!.AsObject().Select(o => o.Key).ToList();

        Assert.Contains("AZURE_LOCATION", outputs);
        Assert.Contains("AZURE_TENANT_ID", outputs);
        Assert.Contains("AZURE_RESOURCE_GROUP", outputs);
        Assert.Contains("AZURE_FUNCTION_APP_NAME", outputs);
    }

    [Fact]
    public void No_file_of_the_deployment_holds_a_secret_value()
    {
        var parameters = File.ReadAllText(Repository.PathOf("infra", "main.parameters.json"));
        var tokens = Repository.ReadJson("infra", "main.parameters.json")["parameters"]!["scimTokens"]!["value"]!.AsObject();

        Assert.All(tokens, token => Assert.Matches(@"^\$\{[A-Z0-9_]+\}$", token.Value!.GetValue<string>()));
        Assert.DoesNotContain("AccountKey=", parameters, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey", parameters, StringComparison.Ordinal);
    }
}
