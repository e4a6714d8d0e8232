namespace ImageClassifier.Audit.Hashing;

/// <summary>
/// A BK-tree over 64-bit hashes with the Hamming distance (Burkhard and Keller, 1973): each child hangs under its
/// distance to the parent, and by the triangle inequality a query within radius r only descends into children at
/// distance d - r .. d + r. Finding every pair within a small radius visits a small part of the tree, where comparing
/// all pairs of n hashes costs n²/2 (50 million for 10,000 images). The structure imagededup uses for the same job.
/// </summary>
public sealed class BkTree
{
    sealed class Node(ulong hash, int item)
    {
        public readonly ulong Hash = hash;
        public readonly int Item = item;
        public Dictionary<int, Node>? Children;
    }

    Node? root;

    public int Count { get; private set; }

    /// <summary>How many distances the queries so far computed (to show the pruning works).</summary>
    public long Comparisons { get; private set; }

    public void Add(ulong hash, int item)
    {
        Count++;
        if (root is null) { root = new Node(hash, item); return; }
        var node = root;
        while (true)
        {
            int d = PerceptualHash.Distance(hash, node.Hash);
            node.Children ??= [];
            if (!node.Children.TryGetValue(d, out var child))
            {
                node.Children[d] = new Node(hash, item);
                return;
            }
            node = child;
        }
    }

    /// <summary>Every item whose hash is within <paramref name="radius"/> bits of <paramref name="hash"/>, with its distance.</summary>
    public List<(int Item, int Distance)> Within(ulong hash, int radius)
    {
        var found = new List<(int, int)>();
        if (root is null) return found;
        var pending = new Stack<Node>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            int d = PerceptualHash.Distance(hash, node.Hash);
            Comparisons++;
            if (d <= radius) found.Add((node.Item, d));
            if (node.Children is null) continue;
            foreach (var (edge, child) in node.Children)
                if (edge >= d - radius && edge <= d + radius) pending.Push(child);
        }
        return found;
    }
}
