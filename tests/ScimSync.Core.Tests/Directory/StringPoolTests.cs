using ScimSync.Core.Directory;

namespace ScimSync.Core.Tests.Directory;

public sealed class StringPoolTests
{
    [Fact]
    public void Equal_strings_come_back_as_the_first_instance()
    {
        var pool = new StringPool(maxCount: 10);
        var first = new string("u1".AsSpan());

        pool.Share(first);

        Assert.Same(first, pool.Share(new string("u1".AsSpan())));
    }

    [Fact]
    public void Past_its_bound_a_pool_hands_new_strings_back_as_they_came()
    {
        var pool = new StringPool(maxCount: 1);
        pool.Share("u1");
        var second = new string("u2".AsSpan());

        Assert.Same(second, pool.Share(second));
        Assert.NotSame(second, pool.Share(new string("u2".AsSpan())));
    }
}
