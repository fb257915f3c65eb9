using Retab.Runs.Core.Results;

namespace Retab.Runs.Core.Runs;

/// <summary>
/// Fairness between organizations (one organization's 100,000-test run must not starve another's single test): each
/// organization has at most <c>limit</c> tests sent to workers and not finished yet, across all workers. The work
/// queue is FIFO, so the only way to let a small run overtake a huge one is to not put the huge one in the queue all at
/// once: runs are sent a window at a time, and every finished test lets the next one of its organization in.
/// <para>
/// Within an organization the window goes round-robin over its runs, so each of them keeps moving (a run that does not
/// move for a whole execution deadline is what the sweeper treats as stalled). Each run is read from the store a page
/// at a time (<see cref="RunsToRefill"/>, <see cref="Refill"/>), in id order, so a huge run is never held in memory.
/// </para>
/// Thread-safe: finished tests are released from many consumers while one pump takes and refills.
/// </summary>
public sealed class DispatchWindows(int limitPerOrganization)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Organization> _organizations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunCursor> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunCursor> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _sentAt = new(StringComparer.Ordinal);

    /// <summary>0 or less: no limit (a run goes out as fast as it can be read).</summary>
    public int Limit { get; } = limitPerOrganization > 0 ? limitPerOrganization : int.MaxValue;

    /// <summary>Starts sending a run, from its first slot; a run already being sent is read again from its first slot.</summary>
    /// <returns>The run's organization, to pump.</returns>
    public string Admit(TestRun run)
    {
        lock (_gate)
        {
            Drop(run.Id);
            if (!_organizations.TryGetValue(run.OrganizationId, out var organization))
                _organizations[run.OrganizationId] = organization = new Organization(run.OrganizationId);
            var cursor = new RunCursor(run.Id, organization);
            _runs[run.Id] = cursor;
            organization.Runs.AddLast(cursor);
            return organization.Id;
        }
    }

    /// <summary>Stops sending a run (cancelled): its tests in flight no longer count, since workers drop them silently.</summary>
    /// <returns>The organization whose window this freed, if any.</returns>
    public string? Forget(string runId)
    {
        lock (_gate)
            return Drop(runId);
    }

    /// <summary>A test finished (or ended in error): its place in the window is free again. A duplicate frees nothing.</summary>
    /// <returns>The organization whose window this freed, or null.</returns>
    public string? Release(string resultId)
    {
        lock (_gate)
        {
            if (!_inFlight.Remove(resultId, out var cursor))
                return null;
            _sentAt.Remove(resultId);
            cursor.InFlight.Remove(resultId);
            cursor.Organization.InFlight--;
            RemoveIfDone(cursor);
            return cursor.Organization.Id;
        }
    }

    /// <summary>Slots taken whose sending failed: they leave the window and go back to be taken again.</summary>
    /// <returns>The organizations to pump again.</returns>
    public IReadOnlyList<string> GiveBack(IEnumerable<TestResult> slots)
    {
        lock (_gate)
        {
            var organizations = new HashSet<string>(StringComparer.Ordinal);
            foreach (var slot in slots)
            {
                if (!_inFlight.Remove(slot.Id, out var cursor))
                    continue;
                _sentAt.Remove(slot.Id);
                cursor.InFlight.Remove(slot.Id);
                cursor.Organization.InFlight--;
                cursor.Buffer.Enqueue(slot);
                organizations.Add(cursor.Organization.Id);
            }
            return organizations.ToList();
        }
    }

    /// <summary>When this process sent the slot to workers, if it has and the slot has not finished since.</summary>
    public DateTimeOffset? SentAt(string resultId)
    {
        lock (_gate)
            return _sentAt.TryGetValue(resultId, out var at) ? at : null;
    }

    /// <summary>Takes the slots that may go out now, round-robin over the organization's runs, and counts them as in flight from <paramref name="at"/>.</summary>
    public IReadOnlyList<TestResult> Take(string organizationId, DateTimeOffset at)
    {
        lock (_gate)
        {
            var taken = new List<TestResult>();
            if (!_organizations.TryGetValue(organizationId, out var organization))
                return taken;
            var idle = 0;
            while (organization.InFlight < Limit && organization.Runs.Count > 0 && idle < organization.Runs.Count)
            {
                var cursor = organization.Runs.First!.Value;
                organization.Runs.RemoveFirst();
                organization.Runs.AddLast(cursor);
                if (!cursor.Buffer.TryDequeue(out var slot))
                {
                    idle++;
                    continue;
                }
                idle = 0;
                if (!_inFlight.TryAdd(slot.Id, cursor))
                    continue; // already out (sent again by a restart of its run); it counts once
                _sentAt[slot.Id] = at;
                cursor.InFlight.Add(slot.Id);
                organization.InFlight++;
                taken.Add(slot);
            }
            foreach (var cursor in organization.Runs.ToList())
                RemoveIfDone(cursor);
            return taken;
        }
    }

    /// <summary>Runs of the organization with nothing buffered and more to read: (run id, read after this result id).</summary>
    public IReadOnlyList<(string RunId, string? After)> RunsToRefill(string organizationId)
    {
        lock (_gate)
        {
            if (!_organizations.TryGetValue(organizationId, out var organization) || organization.InFlight >= Limit)
                return [];
            return organization.Runs
                .Where(c => c.Buffer.Count == 0 && !c.Exhausted)
                .Select(c => (c.RunId, c.After))
                .ToList();
        }
    }

    /// <summary>
    /// What one page of a run holds: its queued slots (the others are done) and where the next page starts. A page read
    /// for a run that was meanwhile forgotten or re-admitted is ignored.
    /// </summary>
    public void Refill(string runId, string? readAfter, IEnumerable<TestResult> queued, string? nextAfter)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var cursor) || cursor.After != readAfter || cursor.Exhausted)
                return;
            foreach (var slot in queued)
                cursor.Buffer.Enqueue(slot);
            cursor.After = nextAfter;
            cursor.Exhausted = nextAfter is null;
            RemoveIfDone(cursor);
        }
    }

    /// <summary>Tests in flight for an organization (what the limit bounds).</summary>
    public int InFlight(string organizationId)
    {
        lock (_gate)
            return _organizations.TryGetValue(organizationId, out var organization) ? organization.InFlight : 0;
    }

    public bool IsSending(string runId)
    {
        lock (_gate)
            return _runs.ContainsKey(runId);
    }

    private string? Drop(string runId)
    {
        if (!_runs.Remove(runId, out var cursor))
            return null;
        cursor.Organization.Runs.Remove(cursor);
        foreach (var resultId in cursor.InFlight)
        {
            _inFlight.Remove(resultId);
            _sentAt.Remove(resultId);
        }
        cursor.Organization.InFlight -= cursor.InFlight.Count;
        cursor.InFlight.Clear();
        RemoveIfEmpty(cursor.Organization);
        return cursor.Organization.Id;
    }

    /// <summary>A run that has nothing left to read, buffered or in flight is no longer tracked.</summary>
    private void RemoveIfDone(RunCursor cursor)
    {
        if (!cursor.Exhausted || cursor.Buffer.Count > 0 || cursor.InFlight.Count > 0 || !_runs.Remove(cursor.RunId))
            return;
        cursor.Organization.Runs.Remove(cursor);
        RemoveIfEmpty(cursor.Organization);
    }

    private void RemoveIfEmpty(Organization organization)
    {
        if (organization.Runs.Count == 0 && organization.InFlight == 0)
            _organizations.Remove(organization.Id);
    }

    private sealed class Organization(string id)
    {
        public string Id { get; } = id;
        public LinkedList<RunCursor> Runs { get; } = new();
        public int InFlight { get; set; }
    }

    private sealed class RunCursor(string runId, Organization organization)
    {
        public string RunId { get; } = runId;
        public Organization Organization { get; } = organization;
        public Queue<TestResult> Buffer { get; } = new();
        public HashSet<string> InFlight { get; } = new(StringComparer.Ordinal);
        public string? After { get; set; }
        public bool Exhausted { get; set; }
    }
}
