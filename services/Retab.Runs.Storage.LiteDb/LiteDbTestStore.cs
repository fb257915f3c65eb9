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

    public Task<IReadOnlyList<WorkflowTest>> ListAllAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WorkflowTest>>(db.Tests.Query()
            .Where(Filter.Eq("wf", workflowId))
            .Where(Filter.Eq("org", organizationId))
            .ToEnumerable()
            .Select(LiteDbContext.FromDocument<WorkflowTest>)
            // Sorted here rather than by LiteDB, whose sort buffers a copy of every document of a 100,000-test workflow.
            .OrderBy(t => t.Id, StringComparer.Ordinal)
            .ToList());

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

    private static BsonDocument ToDocument(WorkflowTest test) =>
        LiteDbContext.ToDocument(StoredDocumentKind.Test, test.Id, test, ("org", test.OrganizationId), ("wf", test.WorkflowId), ("block", test.TargetBlockId));
}
