// A small, in-memory SCIM 2.0 server built on scimmy (a third-party SCIM implementation), used by ScimSync's
// integration tests as a second, independent target next to the Atlassian emulator.
//
// Usage: node tests/scimmy-server/server.mjs [--port N] [--token T] [--max-results N] [--patch false] [--filter false]
//   --port 0 (the default) binds a free loopback port; the chosen port is printed as "listening on <port>".
//   The token defaults to the SCIMMY_TOKEN environment variable, then to "scimmy-test-token".
//   --patch false and --filter false make a server that advertises (in /ServiceProviderConfig) and enforces that it
//   has no PATCH (501) or no filtering (400 invalidFilter), to test clients that adapt to what a target offers.
import {randomUUID} from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const args = process.argv.slice(2);
const option = (name, fallback) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
};
const port = Number.parseInt(option("port", "0"), 10);
const token = option("token", process.env.SCIMMY_TOKEN ?? "scimmy-test-token");
const maxResults = Number.parseInt(option("max-results", "200"), 10);
const patchSupported = option("patch", "true") !== "false";
const filterSupported = option("filter", "true") !== "false";



const users = new Map();
const groups = new Map();
const now = () => new Date().toISOString();
const conflict = (detail) => new SCIMMY.Types.Error(409, "uniqueness", detail);
const notFound = (kind, id) => new SCIMMY.Types.Error(404, null, `${kind} ${id} not found`);
const same = (a, b) => String(a ?? "").toLowerCase() === String(b ?? "").toLowerCase();

// The stored copy is plain JSON: scimmy's schema instances carry getters and prototypes we do not want to keep.
const plain = (instance) => JSON.parse(JSON.stringify(instance));

// Attributes whose "eq" comparison is case-exact (RFC 7643 section 2.1 and 4.1.1); others compare ignoring case.
const caseExact = new Set(["id", "externalid"]);

function select(store, resource, equality) {
    const all = [...store.values()];
    if (resource.id) {
        const found = store.get(resource.id);
        if (!found) throw notFound(store === users ? "User" : "Group", resource.id);
        return found;
    }
    if (equality) {
        const exact = caseExact.has(equality.attribute.toLowerCase());
        return all.filter(item => {
            const key = Object.keys(item).find(k => k.toLowerCase() === equality.attribute.toLowerCase());
            const value = key === undefined ? undefined : item[key];
            return typeof value === "string" && (exact ? value === equality.value : same(value, equality.value));
        });
    }
    return resource.filter ? resource.filter.match(all) : all;
}

// scimmy's filter parser does not accept escaped quotes or backslashes inside string values, which RFC 7644
// allows (a filter value is a JSON string). Simple 'attribute eq "value"' filters, the only kind a provisioning
// client sends, are therefore evaluated here; anything else still goes to scimmy.
const simpleEquality = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

function extractEquality(request, response, next) {
    // Express 5 computes request.query afresh on every read, so scimmy-routers' conversion of startIndex and count
    // to numbers would be lost and every page would start at 1 with 20 items. Pin one mutable copy instead.
    Object.defineProperty(request, "query", {value: {...request.query}, writable: true, configurable: true, enumerable: true});
    const url = new URL(request.url, "http://localhost");
    const filter = url.searchParams.get("filter");
    const match = filter === null ? null : simpleEquality.exec(filter);
    if (match && !match[1].includes(".") && !match[1].includes(":")) {
        try {
            request.scimEquality = {attribute: match[1], value: JSON.parse(match[2])};
        } catch {
            return next();
        }
        url.searchParams.delete("filter");
        request.url = url.pathname + url.search;
        delete request.query.filter;
    }
    next();
}

function write(store, resource, instance, uniqueKey, kind) {
    const body = plain(instance);
    const existing = resource.id ? store.get(resource.id) : undefined;
    if (resource.id && !existing) throw notFound(kind, resource.id);
    for (const other of store.values()) {
        if (other.id !== resource.id && same(other[uniqueKey], body[uniqueKey])) {
            throw conflict(`${kind} with ${uniqueKey} "${body[uniqueKey]}" already exists`);
        }
    }
    if (kind === "Group") {
        for (const member of body.members ?? []) {
            if (!users.has(member.value)) {
                throw new SCIMMY.Types.Error(400, "invalidValue", `member ${member.value} is not a known user`);
            }
        }
    }
    const id = resource.id ?? randomUUID();
    const stamp = now();
    const stored = {
        ...body,
        id,
        meta: {resourceType: kind, created: existing?.meta?.created ?? stamp, lastModified: stamp},
    };
    if (kind === "User" && stored.active === undefined) stored.active = true;
    store.set(id, stored);
    return stored;
}

function remove(store, resource, kind) {
    if (!store.delete(resource.id)) throw notFound(kind, resource.id);
    if (kind === "User") {
        for (const group of groups.values()) {
            group.members = (group.members ?? []).filter(m => m.value !== resource.id);
        }
    }
}

SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser))
    .ingress((resource, instance) => write(users, resource, instance, "userName", "User"))
    .egress((resource, equality) => select(users, resource, equality))
    .degress((resource) => remove(users, resource, "User"));

SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress((resource, instance) => write(groups, resource, instance, "displayName", "Group"))
    .egress((resource, equality) => select(groups, resource, equality))
    .degress((resource) => remove(groups, resource, "Group"));

function enforceConfig(request, response, next) {
    const error = (status, scimType, detail) => response.status(status).type("application/scim+json")
        .send({schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), ...(scimType ? {scimType} : {}), detail});
    if (!patchSupported && request.method === "PATCH") return error(501, null, "PATCH is not supported by this service provider.");
    if (!filterSupported && new URL(request.url, "http://localhost").searchParams.has("filter")) {
        return error(400, "invalidFilter", "Filtering is not supported by this service provider.");
    }
    next();
}

const app = express();
app.use("/scim/v2", enforceConfig);
app.use("/scim/v2", extractEquality);
app.use("/scim/v2", new SCIMMYRouters({
    type: "bearer",
    docUri: "https://datatracker.ietf.org/doc/html/rfc6750",
    handler: (request) => {
        if (request.header("Authorization") !== `Bearer ${token}`) throw new Error("The bearer token is missing or wrong.");
        return "scimsync-tests";
    },
    context: (request) => request.scimEquality,
}));

// After the routers: their constructor resets patch, filter, sort and bulk to "supported".
SCIMMY.Config.set({
    patch: patchSupported,
    filter: {supported: filterSupported, maxResults},
    sort: false,
    bulk: false,
    changePassword: false,
    etag: false,
});

const server = app.listen(port, "127.0.0.1", () => {
    console.log(`listening on ${server.address().port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The tests own this process: when they go away (stdin closes), stop too.
process.stdin.on("end", stop);
process.stdin.resume();
