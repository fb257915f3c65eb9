using MongoDB.Driver;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using static Retab.Runs.Storage.Mongo.MongoDefinitions;

namespace Retab.Runs.Storage.Mongo;

public sealed class MongoTestStore(MongoContext db) : ITestStore
{
    public async Task InsertAsync(WorkflowTest test, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Tests.InsertOneAsync(MongoDocuments.ToDocument(test), cancellationToken: cancellationToken);
    }

    public async Task<WorkflowTest?> GetAsync(string organizationId, string testId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.Tests.Find(Owned(organizationId, testId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToTest(document);
    }

    public async Task<Page<WorkflowTest>> ListAsync(string organizationId, string workflowId, string? targetBlockId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(db.Tests, TestsOf(organizationId, workflowId, targetBlockId), page, MongoDocuments.ToTest, t => t.Id, cancellationToken);
    }

    public async Task<int> CountAsync(string organizationId, string workflowId, string? targetBlockId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return (int)await db.Tests.CountDocumentsAsync(TestsOf(organizationId, workflowId, targetBlockId), cancellationToken: cancellationToken);
    }

    public async Task<int> CountExistingAsync(string organizationId, string workflowId, IReadOnlyCollection<string> testIds, CancellationToken cancellationToken = default)
    {
        if (testIds.Count == 0)
            return 0;
        await db.ReadyAsync(cancellationToken);
        return (int)await db.Tests.CountDocumentsAsync(TestsOf(organizationId, workflowId, testIds), cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListIdsAsync(string organizationId, string workflowId, string? targetBlockId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var ids = new List<string>();
        // Covered by the (organization, workflow[, block], _id) indexes: the server sends ids only, already in order.
        using var cursor = await db.Tests.Find(TestsOf(organizationId, workflowId, targetBlockId)).Sort(ByTestId).Project(IdOnly).ToCursorAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
            ids.AddRange(cursor.Current.Select(document => document[MongoSchema.Fields.Id].AsString));
        return ids;
    }

    public async Task<IReadOnlyList<WorkflowTest>> GetManyAsync(string organizationId, string workflowId, IReadOnlyCollection<string> testIds, CancellationToken cancellationToken = default)
    {
        if (testIds.Count == 0)
            return [];
        await db.ReadyAsync(cancellationToken);
        var documents = await db.Tests.Find(TestsOf(organizationId, workflowId, testIds)).Sort(ByTestId).ToListAsync(cancellationToken);
        return documents.Select(MongoDocuments.ToTest).ToList();
    }

    public async Task<bool> ReplaceAsync(WorkflowTest test, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        // Only the owner's document: a test id claimed by another organization is not handed over.
        var result = await db.Tests.ReplaceOneAsync(Owned(test.OrganizationId, test.Id), MongoDocuments.ToDocument(test), cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public async Task<bool> DeleteAsync(string organizationId, string testId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var result = await db.Tests.DeleteOneAsync(Owned(organizationId, testId), cancellationToken);
        return result.DeletedCount == 1;
    }
}
