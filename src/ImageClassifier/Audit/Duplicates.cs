using ImageClassifier.Audit.Hashing;

namespace ImageClassifier.Audit;

/// <summary>A file in a duplicate group or pair.</summary>
public sealed record DuplicateMember(int File, string Path, string Split, string Class);

/// <summary>
/// Images that are copies of each other: "exact" (the same decoded pixels) or "near" (perceptual hashes within the
/// distance and thumbnails correlated; re-encoded, resized, brightened copies). Leakage when the group spans training
/// and test; conflicting when its members carry different labels.
/// </summary>
public sealed record DuplicateGroup(string Kind, IReadOnlyList<DuplicateMember> Members)
{
    public bool Leakage => Members.Select(m => m.Split).Distinct().Count() > 1;
    public bool ConflictingLabels => Members.Select(m => m.Class).Distinct().Count() > 1;
}

/// <summary>Two near-duplicate images, with what matched: the pHash distance, the thumbnails' correlation, and the feature similarity when compared.</summary>
public sealed record DuplicatePair(DuplicateMember A, DuplicateMember B, int HashDistance, double Correlation, double? FeatureSimilarity)
{
    public bool Leakage => A.Split != B.Split;
    public bool ConflictingLabels => A.Class != B.Class;
}

public sealed record DuplicateFindings(IReadOnlyList<DuplicateGroup> Exact, IReadOnlyList<DuplicateGroup> Near, IReadOnlyList<DuplicatePair> NearPairs,
    long HashComparisons, int HashedImages);

/// <summary>
/// Finds exact duplicates by grouping the pixel hashes, and near duplicates among the distinct images by a
/// <see cref="BkTree"/> query of each pHash within <see cref="AuditSettings.HashDistance"/>, each candidate
/// confirmed by the correlation of the two thumbnails (and optionally by ResNet18 features: pairs the features find
/// are added). Near pairs are joined into groups (union-find), so a chain of copies is one group.
/// </summary>
public static class DuplicateFinder
{
    public static DuplicateFindings Find(ImageScan scan, AuditSettings settings, IEnumerable<(int A, int B, double Similarity)>? featurePairs = null)
    {
        var decoded = scan.Files.Where(f => f.Decoded).ToList();
        DuplicateMember Member(int file) => new(file, scan.Files[file].Path, scan.Files[file].Split, scan.ClassNames[scan.Files[file].Label]);

        // Exact: one group per pixel hash held by two or more files; its first file stands for it below.
        var byHash = decoded.GroupBy(f => f.PixelHash!).ToList();
        var exact = byHash.Where(g => g.Count() > 1).Select(g => new DuplicateGroup("exact", g.Select(f => Member(f.Index)).ToList())).ToList();
        var representatives = byHash.Select(g => g.First().Index).ToList();
        var copiesOf = byHash.ToDictionary(g => g.First().Index, g => g.Select(f => f.Index).ToList());

        // Near: each representative's pHash against those before it, within the distance, confirmed by correlation.
        var tree = new BkTree();
        var pairs = new Dictionary<(int, int), DuplicatePair>();
        foreach (int file in representatives)
        {
            var hash = scan.Files[file].PHash;
            foreach (var (other, distance) in tree.Within(hash, settings.HashDistance))
            {
                double correlation = PerceptualHash.Correlation(scan.Thumbnails[file], scan.Thumbnails[other]);
                if (correlation >= settings.MinCorrelation)
                    pairs[(other, file)] = new DuplicatePair(Member(other), Member(file), distance, correlation, null);
            }
            tree.Add(hash, file);
        }
        var firstOf = representatives.SelectMany(r => copiesOf[r].Select(f => (f, r))).ToDictionary(x => x.f, x => x.r);
        foreach (var (a, b, similarity) in featurePairs ?? [])
        {
            var (ra, rb) = (firstOf[a], firstOf[b]);
            if (ra == rb) continue;
            var key = ra < rb ? (ra, rb) : (rb, ra);
            pairs[key] = pairs.TryGetValue(key, out var known)
                ? known with { FeatureSimilarity = similarity }
                : new DuplicatePair(Member(key.Item1), Member(key.Item2),
                    PerceptualHash.Distance(scan.Files[key.Item1].PHash, scan.Files[key.Item2].PHash),
                    PerceptualHash.Correlation(scan.Thumbnails[key.Item1], scan.Thumbnails[key.Item2]), similarity);
        }

        // Groups: representatives joined by near pairs, each expanded to its exact copies.
        var parent = representatives.ToDictionary(r => r, r => r);
        int Root(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var (a, b) in pairs.Keys) parent[Root(a)] = Root(b);
        var near = pairs.Keys.SelectMany(k => new[] { k.Item1, k.Item2 }).Distinct()
            .GroupBy(Root)
            .Select(g => new DuplicateGroup("near", g.SelectMany(r => copiesOf[r]).Order().Select(Member).ToList()))
            .OrderBy(g => g.Members[0].File).ToList();
        var nearPairs = pairs.Values.OrderBy(p => p.HashDistance).ThenByDescending(p => p.Correlation).ToList();
        return new DuplicateFindings(exact, near, nearPairs, tree.Comparisons, representatives.Count);
    }
}
