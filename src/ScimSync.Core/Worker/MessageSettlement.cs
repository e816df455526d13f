namespace ScimSync.Core.Worker;

/// <summary>The decisions for one delivery of a message: one per work item it carries.</summary>
/// <param name="Items">Each item's settlement, in the message's order.</param>
public sealed record MessageSettlement(IReadOnlyList<Settlement> Items)
{
    /// <summary>
    /// True when storage could record nothing about one of the items: the host lets its transport deliver the whole
    /// message again (reconciling the others again changes nothing).
    /// </summary>
    public bool Redeliver => Items.Any(item => item.Redeliver);
}
