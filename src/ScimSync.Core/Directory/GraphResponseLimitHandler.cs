using System.Net;

namespace ScimSync.Core.Directory;

/// <summary>
/// Bounds what the Graph client reads from one response. The outermost handler, so it counts the bytes the SDK and the
/// delta parser see (after decompression): an answer announced as larger than the limit is refused before its body is
/// read, and a body without a length stops being read once it passes the limit. A broken proxy or a hostile endpoint
/// at the source's URL cannot make a worker buffer gigabytes.
/// </summary>
internal sealed class GraphResponseLimitHandler(long maxBytes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var resource = request.RequestUri?.GetLeftPart(UriPartial.Path) ?? "(no address)";
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            response.Dispose();
            throw new GraphResponseTooLargeException(resource, maxBytes, length);
        }

        response.Content = new LimitedContent(response.Content, maxBytes, resource);
        return response;
    }

    private sealed class LimitedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly long _maxBytes;
        private readonly string _resource;

        public LimitedContent(HttpContent inner, long maxBytes, string resource)
        {
            _inner = inner;
            _maxBytes = maxBytes;
            _resource = resource;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeAsync(stream, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            SerializeAsync(stream, cancellationToken);

        protected override async Task<Stream> CreateContentReadStreamAsync() =>
            new LimitedStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _maxBytes, _resource);

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            new LimitedStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _maxBytes, _resource);

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private async Task SerializeAsync(Stream stream, CancellationToken cancellationToken)
        {
            await using var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A read-only stream that throws once more than the limit has been read from it.</summary>
    private sealed class LimitedStream(Stream inner, long maxBytes, string resource) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer[..Allowed(buffer.Length)]));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        // One byte past the limit is enough to know the body is too large; a caller's large buffer must not read more.
        private int Allowed(int requested) => (int)Math.Min(requested, maxBytes - _read + 1);

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw new GraphResponseTooLargeException(resource, maxBytes, announcedBytes: null) : read;
        }
    }
}
