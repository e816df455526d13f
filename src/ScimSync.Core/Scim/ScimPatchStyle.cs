namespace ScimSync.Core.Scim;

/// <summary>How <c>op</c> values are spelled on the wire.</summary>
public enum ScimOperationCase
{
    /// <summary><c>add</c>, <c>replace</c>, <c>remove</c>, as RFC 7644 spells them (and Entra with aadOptscim062020).</summary>
    Lower,

    /// <summary><c>Add</c>, <c>Replace</c>, <c>Remove</c>, as Entra's default SCIM job sends them.</summary>
    Capitalized,
}

/// <summary>How a member leaves a group in a PATCH.</summary>
public enum ScimMemberRemoval
{
    /// <summary><c>{"op":"remove","path":"members","value":[{"value":"id"},…]}</c>: one operation per batch.</summary>
    ValueArray,

    /// <summary><c>{"op":"remove","path":"members[value eq \"id\"]"}</c>: one operation per member (RFC 7644 §3.5.2.2).</summary>
    ValueFilterPath,
}

/// <summary>The PATCH spelling a target expects; part of a <see cref="Profiles.ScimTargetProfile"/>.</summary>
/// <param name="OperationCase">How <c>op</c> is spelled.</param>
/// <param name="PathlessReplace">
/// Collapse the replaces of plain (unfiltered) paths into one <c>{"op":"replace","value":{path:value,…}}</c>, as
/// Entra does with aadOptscim062020. Off by default: one operation per attribute path (RFC 7644).</param>
/// <param name="MemberRemoval">How members are removed.</param>
public sealed record ScimPatchStyle(ScimOperationCase OperationCase, bool PathlessReplace, ScimMemberRemoval MemberRemoval)
{
    /// <summary>RFC 7644 spelling: lower-case ops, one operation per path, removal by value filter path.</summary>
    public static readonly ScimPatchStyle Rfc7644 = new(ScimOperationCase.Lower, PathlessReplace: false, ScimMemberRemoval.ValueFilterPath);

    public string Add => OperationCase == ScimOperationCase.Lower ? "add" : "Add";

    public string Replace => OperationCase == ScimOperationCase.Lower ? "replace" : "Replace";

    public string Remove => OperationCase == ScimOperationCase.Lower ? "remove" : "Remove";
}
