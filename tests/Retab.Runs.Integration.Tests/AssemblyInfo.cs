// One test stops and restarts the broker, and every test starts several hosts on a 2-core machine: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
