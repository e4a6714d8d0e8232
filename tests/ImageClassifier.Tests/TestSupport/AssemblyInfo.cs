// libtorch already uses every core for one model; running test classes side by side on a
// 2-core machine only makes them slower and their memory use less predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
