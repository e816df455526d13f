using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ScimSync.Core.Directory;

namespace ScimSync.Core.Tests.Directory;

[Trait("Category", "Reliability")]
public sealed class GraphResponseLimitTests
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public async Task A_page_announced_larger_than_the_limit_is_refused_before_its_body_is_read()
    {
        var body = new AnnouncedContent(2L * Megabyte);

        var error = await Assert.ThrowsAsync<GraphResponseTooLargeException>(() => ReadAsync(body));

        Assert.False(body.Read);
        Assert.StartsWith("http://127.0.0.1:5005/v1.0/users/delta", error.Resource, StringComparison.Ordinal);
        Assert.Contains("2,097,152 bytes, more than the 1 MB the job reads (source.maxResponseMegabytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_without_a_length_is_read_no_further_than_the_limit()
    {
        var endless = new EndlessPage();

        var error = await Assert.ThrowsAsync<GraphResponseTooLargeException>(() => ReadAsync(new StreamContent(endless)));

        Assert.InRange(endless.Served, Megabyte, Megabyte + 1);
        Assert.Contains("grew past the 1 MB the job reads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_within_the_limit_is_read()
    {
        var page = new StringContent("""{"value":[{"id":"u1","displayName":"Adele","accountEnabled":true}],"@odata.deltaLink":"http://127.0.0.1:5005/v1.0/users/delta?$deltatoken=x"}""", Encoding.UTF8, "application/json");

        var changes = await ReadAsync(page);

        Assert.Equal("u1", Assert.IsType<ObjectUpserted>(Assert.Single(changes)).Source.Id.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public void The_limit_is_1_to_1024_MB(int megabytes) =>
        Assert.Equal("jobs[0].source.maxResponseMegabytes: use 1 to 1024",
            Assert.Single(new GraphSourceOptions { MaxResponseMegabytes = megabytes }.Validate("jobs[0].source")));

    private static async Task<List<DirectoryChange>> ReadAsync(HttpContent page)
    {
        var options = new GraphSourceOptions { BaseUrl = "http://127.0.0.1:5005/v1.0", Credential = GraphCredentialKind.Anonymous, MaxResponseMegabytes = 1 };
        var reader = new GraphDirectoryReader(GraphClientBuilder.Build(options, new OneAnswer(page)), NullLogger<GraphDirectoryReader>.Instance);
        var changes = new List<DirectoryChange>();
        await foreach (var batch in reader.ReadAsync(new DeltaReadRequest(ObjectKind.User, null, ["displayName"])))
        {
            changes.AddRange(batch.Changes);
        }

        return changes;
    }

    private sealed class OneAnswer(HttpContent content) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }

    /// <summary>A body that announces its length and records whether anyone read it.</summary>
    private sealed class AnnouncedContent(long length) : HttpContent
    {
        public bool Read { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Read = true;
            return stream.WriteAsync(new byte[1024]).AsTask();
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = length;
            return true;
        }
    }

    /// <summary>A delta page that never ends: its value array goes on with the same object for ever.</summary>
    private sealed class EndlessPage : Stream
    {
        private static readonly byte[] Start = Encoding.UTF8.GetBytes("""{"value":[""");
        private static readonly byte[] Item = Encoding.UTF8.GetBytes("""{"id":"u1","displayName":"Adele Vance"},""");

        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length)
            {
                var source = Served < Start.Length ? Start.AsSpan((int)Served) : Item.AsSpan((int)((Served - Start.Length) % Item.Length));
                var chunk = Math.Min(source.Length, buffer.Length - written);
                source[..chunk].CopyTo(buffer[written..]);
                written += chunk;
                Served += chunk;
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
