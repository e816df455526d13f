using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScimSync.Infra.Tests.Infrastructure;

/// <summary>One resource of the compiled deployment, with the template (module) that declares it.</summary>
internal sealed record TemplateResource(string Type, JsonObject Body, JsonObject Template, string Module)
{
    public JsonObject Properties => Body["properties"]?.AsObject() ?? [];

    /// <summary>The object behind <c>variables('name')</c> in this resource's template.</summary>
    public JsonNode? Variable(string name) => Template["variables"]?[name];
}

/// <summary>
/// infra/main.bicep compiled to an ARM template by <c>bicep build</c>, with the resources of every module flattened,
/// so tests read what Azure would be asked to create.
/// </summary>
internal sealed partial class CompiledTemplate
{
    private static readonly Lazy<CompiledTemplate> Main = new(() => Compile("main.bicep"));

    private CompiledTemplate(JsonObject root)
    {
        Root = root;
        Resources = Flatten(root, "main").ToList();
    }

    public static CompiledTemplate MainTemplate => Main.Value;

    public JsonObject Root { get; }

    public IReadOnlyList<TemplateResource> Resources { get; }

    public IEnumerable<TemplateResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public TemplateResource Single(string type) => Assert.Single(OfType(type));

    /// <summary>The names of the variables an ARM expression reads, e.g. <c>union(variables('a'), variables('b'))</c>.</summary>
    public static IEnumerable<string> VariablesIn(string expression) =>
        VariableReference().Matches(expression).Select(m => m.Groups[1].Value).Distinct();

    public static CompiledTemplate Compile(string file)
    {
        var run = BicepCli.Run("build", file, "--stdout");
        Assert.True(run.ExitCode == 0, $"bicep build {file} failed:\n{run.Errors}");
        return new CompiledTemplate(JsonNode.Parse(run.Output)!.AsObject());
    }

    private static IEnumerable<TemplateResource> Flatten(JsonObject template, string module)
    {
        // Templates with imports compile to language version 2.0, where resources are an object keyed by symbol.
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject map => map.Select(r => r.Value!.AsObject()),
            _ => [],
        };
        // References to existing resources deploy nothing.
        foreach (var resource in resources.Where(r => r["existing"]?.GetValue<bool>() != true))
        {
            var type = resource["type"]!.GetValue<string>();
            yield return new TemplateResource(type, resource, template, module);
            if (type == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Flatten(nested, resource["name"]!.GetValue<string>()))
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"variables\('([A-Za-z0-9_]+)'\)")]
    private static partial Regex VariableReference();
}
