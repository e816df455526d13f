namespace ScimSync.Core.Admin;

/// <summary>What a restart resets, as Entra's <c>resetScope</c> flags.</summary>
[Flags]
public enum RestartScope
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Forget the deltaLinks, membership graph and assignment snapshot: the next cycle re-evaluates everything.</summary>
    Watermark = 1,

    /// <summary>Clear the escrow of failed objects (their retries stop counting up; the next cycle tries them afresh).</summary>
    Escrows = 2,

    /// <summary>Lift the quarantine (and a deletion hold's schedule) so the next cycle runs at once.</summary>
    QuarantineState = 4,

    /// <summary>
    /// All of the above, and forget the links to target objects (Objects and Memberships rows): the next cycle
    /// matches every object again. Held deprovisions are dismissed.
    /// </summary>
    Full = 8 | Watermark | Escrows | QuarantineState,

    /// <summary>What Entra's Restart button does.</summary>
    Default = QuarantineState | Watermark | Escrows,
}
