// Runs once, on the first start of an empty data volume (the mongo image's /docker-entrypoint-initdb.d), as the root
// user the image has just created. The services connect as this user: it can read, write and index the application
// database and nothing else (no other database, no user or cluster administration).
const database = process.env.RETAB_RUNS_MONGODB_DATABASE;
const user = process.env.RETAB_RUNS_MONGODB_USER;
const password = process.env.RETAB_RUNS_MONGODB_APP_PASSWORD;
if (!database || !user || !password) {
  throw new Error('RETAB_RUNS_MONGODB_DATABASE, RETAB_RUNS_MONGODB_USER and RETAB_RUNS_MONGODB_APP_PASSWORD must be set');
}
// readWrite covers what the store does: CRUD, bulk writes, GridFS, and createIndex (including the TTL index).
db.getSiblingDB(database).createUser({ user: user, pwd: password, roles: [{ role: 'readWrite', db: database }] });
print(`created user '${user}' with readWrite on '${database}'`);
