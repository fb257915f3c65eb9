using LiteDB;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;

namespace Retab.Runs.Storage.LiteDb;

public sealed class LiteDbTestStore(LiteDbContext db) : ITestStore
{
    public Task InsertAsync(WorkflowTest test, CancellationToken cancellationToken = default)
    {
        db.Tests.Insert(ToDocument(test));
        return Task.CompletedTask;
    }

    public Task<WorkflowTest?> GetAsync(string organizationId, string testId, CancellationToken cancellationToken = default)
    {
        var document = db.Tests.FindById(testId);
        return Task.FromResult(document is not null && document["org"].AsString == organizationId
            ? LiteDbContext.FromDocument<WorkflowTest>(document)
            : null);
    }

    public Task<Page<WorkflowTest>> ListAsync(string organizationId, string workflowId, string? targetBlockId, PageRequest page, CancellationToken cancellationToken = default)
    {
        List<BsonExpression> filters = [Filter.Eq("wf", workflowId), Filter.Eq("org", organizationId)];
        if (targetBlockId is not null)
            filters.Add(Filter.Eq("block", targetBlockId));
        return Task.FromResult(Paging.Read(db.Tests, filters, page, LiteDbContext.FromDocument<WorkflowTest>, t => t.Id));
    }

    public Task<int> CountAsync(string organizationId, string workflowId, string? targetBlockId, CancellationToken cancellationToken = default) =>
        Task.FromResult(QueryTestsOf(organizationId, workflowId, targetBlockId).Count());

    public Task<int> CountExistingAsync(string organizationId, string workflowId, IReadOnlyCollection<string> testIds, CancellationToken cancellationToken = default) =>
        Task.FromResult(OfWorkflowAmong(organizationId, workflowId, testIds).Count());

    public Task<IReadOnlyList<string>> ListIdsAsync(string organizationId, string workflowId, string? targetBlockId, CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        // Streamed through the workflow index, one document at a time, keeping only the ids; sorted here rather than by
        // LiteDB, whose sort buffers a copy of every document of a 100,000-test workflow.
        foreach (var document in QueryTestsOf(organizationId, workflowId, targetBlockId).ToEnumerable())
            ids.Add(document["_id"].AsString);
        ids.Sort(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    public Task<IReadOnlyList<WorkflowTest>> GetManyAsync(string organizationId, string workflowId, IReadOnlyCollection<string> testIds, CancellationToken cancellationToken = default)
    {
        // Sorted here: LiteDB would buffer the documents to sort them.
        var tests = OfWorkflowAmong(organizationId, workflowId, testIds)
            .Select(LiteDbContext.FromDocument<WorkflowTest>)
            .OrderBy(test => test.Id, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<WorkflowTest>>(tests);
    }

    public Task<bool> ReplaceAsync(WorkflowTest test, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
            db.Tests.FindById(test.Id) is { } existing && existing["org"].AsString == test.OrganizationId
            && db.Tests.Update(ToDocument(test))));

    public Task<bool> DeleteAsync(string organizationId, string testId, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            var document = db.Tests.FindById(testId);
            return document is not null && document["org"].AsString == organizationId && db.Tests.Delete(testId);
        }));

    /// <summary>One <c>Where</c> per filter: each keeps its own parameter (LiteDB's <c>Query.And</c> would merge their texts).</summary>
    private ILiteQueryable<BsonDocument> QueryTestsOf(string organizationId, string workflowId, string? targetBlockId)
    {
        var query = db.Tests.Query().Where(Filter.Eq("wf", workflowId)).Where(Filter.Eq("org", organizationId));
        return targetBlockId is null ? query : query.Where(Filter.Eq("block", targetBlockId));
    }

    /// <summary>
    /// The tests among <paramref name="testIds"/> that exist in the workflow: one query of the id index (IN, one seek per
    /// id) rather than a FindById per test, each with its own expression parse and query pipeline.
    /// </summary>
    private IEnumerable<BsonDocument> OfWorkflowAmong(string organizationId, string workflowId, IEnumerable<string> testIds) =>
        db.Tests.Query()
            .Where(Filter.In("_id", testIds.Distinct(StringComparer.Ordinal).Select(id => new BsonValue(id))))
            .ToEnumerable()
            .Where(d => d["org"].AsString == organizationId && d["wf"].AsString == workflowId);

    private static BsonDocument ToDocument(WorkflowTest test) =>
        LiteDbContext.ToDocument(StoredDocumentKind.Test, test.Id, test, ("org", test.OrganizationId), ("wf", test.WorkflowId), ("block", test.TargetBlockId));
}
