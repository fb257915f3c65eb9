using MongoDB.Driver;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Workflows;
using static Retab.Runs.Storage.Mongo.MongoDefinitions;

namespace Retab.Runs.Storage.Mongo;

public sealed class MongoWorkflowStore(MongoContext db) : IWorkflowStore
{
    public async Task InsertAsync(Workflow workflow, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Workflows.InsertOneAsync(MongoDocuments.ToDocument(workflow), cancellationToken: cancellationToken);
    }

    public async Task<Workflow?> GetAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.Workflows.Find(Owned(organizationId, workflowId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToWorkflow(document);
    }

    public async Task<Page<Workflow>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(db.Workflows, WorkflowsOf(organizationId), page, MongoDocuments.ToWorkflow, w => w.Id, cancellationToken);
    }

    public async Task<bool> ReplaceAsync(Workflow workflow, int expectedDraftNumber, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var result = await db.Workflows.UpdateOneAsync(
            WorkflowAtDraft(workflow.OrganizationId, workflow.Id, expectedDraftNumber), ReplaceWorkflow(workflow), cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public async Task MarkTestsChangedAsync(string organizationId, string workflowId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Workflows.UpdateOneAsync(Owned(organizationId, workflowId), MarkTestsChanged(at), cancellationToken: cancellationToken);
    }

    public async Task<bool> DeleteAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        // The workflow first: once it is gone its tests are unreachable, so a crash in between leaves no visible half-state.
        var deleted = await db.Workflows.DeleteOneAsync(Owned(organizationId, workflowId), cancellationToken);
        if (deleted.DeletedCount == 0)
            return false;
        await db.Tests.DeleteManyAsync(TestsOf(organizationId, workflowId), cancellationToken);
        return true;
    }
}
