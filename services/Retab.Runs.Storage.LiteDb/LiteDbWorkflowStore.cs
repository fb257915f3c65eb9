using LiteDB;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Storage.LiteDb;

public sealed class LiteDbWorkflowStore(LiteDbContext db) : IWorkflowStore
{
    public Task InsertAsync(Workflow workflow, CancellationToken cancellationToken = default)
    {
        db.Workflows.Insert(ToDocument(workflow));
        return Task.CompletedTask;
    }

    public Task<Workflow?> GetAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(organizationId, workflowId));

    public Task<Page<Workflow>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(Paging.Read(db.Workflows, [Filter.Eq("org", organizationId)], page, LiteDbContext.FromDocument<Workflow>, w => w.Id));

    public Task<bool> ReplaceAsync(Workflow workflow, int expectedDraftNumber, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            var current = Find(workflow.OrganizationId, workflow.Id);
            return current?.DraftNumber == expectedDraftNumber && db.Workflows.Update(ToDocument(workflow));
        }));

    public Task MarkTestsChangedAsync(string organizationId, string workflowId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        db.Write(() => Find(organizationId, workflowId) is { } workflow && workflow.TestsChangedAt < at
            && db.Workflows.Update(ToDocument(workflow with { TestsChangedAt = at })));
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            if (Find(organizationId, workflowId) is null)
                return false;
            db.Tests.DeleteMany(Filter.Eq("wf", workflowId));
            return db.Workflows.Delete(workflowId);
        }));

    private Workflow? Find(string organizationId, string workflowId)
    {
        var document = db.Workflows.FindById(workflowId);
        return document is not null && document["org"].AsString == organizationId
            ? LiteDbContext.FromDocument<Workflow>(document)
            : null;
    }

    private static BsonDocument ToDocument(Workflow workflow) =>
        LiteDbContext.ToDocument(StoredDocumentKind.Workflow, workflow.Id, workflow, ("org", workflow.OrganizationId));
}
