using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Configuration;

/// <summary>
/// Reads and validates the job file at start-up. Every problem is reported at once with the setting's path
/// (e.g. <c>jobs[0].target.baseUrl</c>), so a bad file fails before any cycle runs and loses nothing.
/// </summary>
public sealed partial class JobFileLoader(ScimProfileRegistry profiles, MappingValidator mappingValidator, IConfiguration settings)
{
    public JobCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new JobConfigurationException(path, [$"the file does not exist (full path: {Path.GetFullPath(path)})."]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public JobCatalog Parse(string json, string fileName)
    {
        if (JobFileKeyCheck.RepeatedKeys(json) is { Count: > 0 } repeated)
        {
            throw new JobConfigurationException(fileName, repeated);
        }

        JobFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, JobFileJsonContext.Default.JobFile);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "(top level)";
            var line = e.LineNumber is { } l ? $" (line {l + 1}, position {e.BytePositionInLine + 1})" : string.Empty;
            throw new JobConfigurationException(fileName, [$"{where}{line}: {JobFileJsonErrors.Explain(e)}"]);
        }

        if (file is null || file.Jobs.Count == 0)
        {
            throw new JobConfigurationException(fileName, ["jobs: the file declares no job; add at least one under \"jobs\"."]);
        }

        var errors = new List<string>();
        var jobs = new List<ProvisioningJob>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Jobs.Count; i++)
        {
            var job = Validate(file.Jobs[i], i, ids, errors);
            if (job is not null)
            {
                jobs.Add(job);
            }
        }

        return errors.Count > 0 ? throw new JobConfigurationException(fileName, errors) : new JobCatalog(jobs);
    }

    private ProvisioningJob? Validate(JobDefinition definition, int index, HashSet<string> ids, List<string> errors)
    {
        var path = $"jobs[{index}]";
        var before = errors.Count;
        if (!JobIdPattern().IsMatch(definition.Id ?? string.Empty))
        {
            errors.Add($"{path}.id: use 1 to 64 letters, digits, '-' or '_' (got \"{definition.Id}\").");
        }
        else if (!ids.Add(definition.Id!))
        {
            errors.Add($"{path}.id: \"{definition.Id}\" is used by another job; job ids must be unique.");
        }

        ResolveSourceSecret(definition, path, errors);
        errors.AddRange(definition.Source.Validate($"{path}.source"));
        errors.AddRange(definition.Target.Validate($"{path}.target", profiles));
        errors.AddRange(definition.Scope.Validate($"{path}.scope"));
        errors.AddRange(definition.Policy.Validate($"{path}.policy"));

        var jobId = new JobId(definition.Id ?? string.Empty);
        var mappings = mappingValidator.Validate(jobId, index, definition.Target.Profile, definition.Mappings);
        errors.AddRange(mappings.Errors.Select(e => e.ToString()));

        if (errors.Count > before || mappings.Mappings is null || !profiles.TryGet(definition.Target.Profile, out var profile))
        {
            return null;
        }

        return new ProvisioningJob(jobId, index, definition, profile, mappings.Mappings);
    }

    private void ResolveSourceSecret(JobDefinition definition, string path, List<string> errors)
    {
        if (!string.IsNullOrEmpty(definition.Source.ClientSecret))
        {
            errors.Add($"{path}.source.clientSecret: secrets never go in the job file; put it in an app setting (or Key Vault reference) and name that setting in {path}.sourceClientSecretSetting.");
            return;
        }

        if (string.IsNullOrWhiteSpace(definition.SourceClientSecretSetting))
        {
            return;
        }

        var secret = settings[definition.SourceClientSecretSetting];
        if (string.IsNullOrEmpty(secret))
        {
            errors.Add($"{path}.sourceClientSecretSetting: the app setting '{definition.SourceClientSecretSetting}' is not set.");
            return;
        }

        definition.Source.ClientSecret = secret;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex JobIdPattern();
}
