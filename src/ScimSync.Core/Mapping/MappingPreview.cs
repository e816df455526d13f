namespace ScimSync.Core.Mapping;

/// <summary>
/// What the mappings make of one source object, for <c>plan</c> and <c>provision</c> output: the resource and,
/// per target path, which mapping produced which value.
/// </summary>
public sealed record MappingPreview(MappingResult Result, IReadOnlyList<MappingPreviewEntry> Entries, bool ProvisionsMembers);
