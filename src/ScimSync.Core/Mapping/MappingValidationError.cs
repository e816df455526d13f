using ScimSync.Core.Identity;

namespace ScimSync.Core.Mapping;

/// <summary>
/// One problem in a job's mappings: the setting path (e.g. <c>jobs[0].mappings.users[3].expression</c>), the job,
/// the mapping's target path, the 1-based position in the expression when there is one, what is wrong and a hint.
/// </summary>
public sealed record MappingValidationError(string Path, JobId Job, string? Target, int? Position, string Message, string? Hint)
{
    public override string ToString()
    {
        var mapping = string.IsNullOrEmpty(Target) ? string.Empty : $", mapping '{Target}'";
        var position = Position is null ? string.Empty : $", position {Position}";
        var hint = Hint is null ? string.Empty : " " + Hint;
        return $"{Path}: job '{Job}'{mapping}{position}: {Message}.{hint}";
    }
}
