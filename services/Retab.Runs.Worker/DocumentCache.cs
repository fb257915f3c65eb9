using Retab.Runs.Core.Documents;

namespace Retab.Runs.Worker;

/// <summary>
/// The documents this worker read recently, bounded in bytes (least recently used leave first). Files are immutable
/// once complete, so an entry never goes stale; a worker running many tests of one document fetches it once.
/// </summary>
public sealed class DocumentCache(long maxBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Organization, string File), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _bytes;

    public long Bytes
    {
        get { lock (_gate) return _bytes; }
    }

    public DocumentContent? Get(string organizationId, string fileId)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue((organizationId, fileId), out var node))
                return null;
            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Content;
        }
    }

    public void Add(string organizationId, string fileId, DocumentContent content)
    {
        var size = SizeOf(content);
        if (size > maxBytes)
            return;
        lock (_gate)
        {
            if (_entries.ContainsKey((organizationId, fileId)))
                return;
            while (_bytes + size > maxBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Size;
            }
            _entries[(organizationId, fileId)] = _recency.AddFirst(new Entry((organizationId, fileId), content, size));
            _bytes += size;
        }
    }

    /// <summary>What an entry holds in memory, roughly: UTF-16 text and image bytes.</summary>
    public static long SizeOf(DocumentContent content) =>
        content.Pages.Sum(p => (long)p.Length * sizeof(char)) + (content.Image?.LongLength ?? 0) + 256;

    private sealed record Entry((string Organization, string File) Key, DocumentContent Content, long Size);
}
