#!/bin/sh
# Grants the app's managed identity the Microsoft Graph application permissions its jobs need, which Bicep cannot
# do. Run by azd after provisioning, signed in (az login) as an admin who may grant application permissions
# (Privileged Role Administrator or Global Administrator). Safe to run again: it grants only what is missing.
#
#   MANAGED_IDENTITY_PRINCIPAL_ID   the identity's object id (an output of infra/main.bicep)
#   SCIMSYNC_JOBS_FILE              the job file; Application.Read.All is granted unless every job's scope mode is
#                                   "groups" or "all" (mode "assigned", the default, reads the app's assignments)
#   SCIMSYNC_GRAPH_PERMISSIONS      optional: grant exactly these instead, space separated
set -eu

graph_app_id=00000003-0000-0000-c000-000000000000
graph=https://graph.microsoft.com/v1.0
principal=${MANAGED_IDENTITY_PRINCIPAL_ID:?run azd provision first: MANAGED_IDENTITY_PRINCIPAL_ID is not set}
command -v az >/dev/null || { echo "grant-graph-permissions: the Azure CLI (az) is needed to grant Graph permissions" >&2; exit 2; }

permissions=${SCIMSYNC_GRAPH_PERMISSIONS:-}
if [ -z "$permissions" ]; then
  permissions="User.Read.All Group.Read.All"
  jobs_file=${SCIMSYNC_JOBS_FILE:-}
  jobs=0
  unassigned=0
  if [ -n "$jobs_file" ] && [ -f "$jobs_file" ]; then
    # Every job names its token setting once; count the jobs whose scope reads no assignments.
    jobs=$(grep -c '"tokenSetting"' "$jobs_file" || true)
    unassigned=$(grep -Ec '"mode"[[:space:]]*:[[:space:]]*"(groups|all)"' "$jobs_file" || true)
  fi
  if [ "$jobs" -eq 0 ] || [ "$unassigned" -lt "$jobs" ]; then
    permissions="$permissions Application.Read.All"
  fi
fi

graph_sp=$(az rest --method GET --url "$graph/servicePrincipals(appId='$graph_app_id')?\$select=id" --query id -o tsv)
granted=$(az rest --method GET --url "$graph/servicePrincipals/$principal/appRoleAssignments?\$select=appRoleId,resourceId" \
  --query "value[?resourceId=='$graph_sp'].appRoleId" -o tsv)

for permission in $permissions; do
  role=$(az rest --method GET --url "$graph/servicePrincipals/$graph_sp?\$select=appRoles" \
    --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  if [ -z "$role" ]; then
    echo "grant-graph-permissions: Microsoft Graph has no application permission $permission" >&2
    exit 1
  fi
  if printf '%s\n' "$granted" | grep -qx "$role"; then
    echo "Microsoft Graph $permission: already granted to $principal"
    continue
  fi
  az rest --method POST --url "$graph/servicePrincipals/$principal/appRoleAssignments" \
    --headers "Content-Type=application/json" \
    --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role\"}" --output none
  echo "Microsoft Graph $permission: granted to $principal"
done
