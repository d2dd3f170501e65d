import type { components } from '../../generated/defender-cloud-apps.ts';
import type { EntityPk } from './filters.ts';

/**
 * Seed data of the Cloud Apps stateful mock: people, their accounts, files, activities and the
 * alerts raised on them, all dated from one fixed instant so every run starts the same. Record
 * shapes follow records the real service returned to public clients (see defender-cloud-apps.ts).
 */

type Alert = components['schemas']['Alert'];
type Rec = Record<string, unknown>;

const TENANT_ID = 36218800;
const AAD_TENANT = '5c1e2d3f-4a5b-4c6d-8e7f-90a1b2c3d4e5';
const BASE_TIME = 1_700_000_000_000;

const APPS = {
  office365: { id: 11161, name: 'Office 365' },
  exchange: { id: 20893, name: 'Microsoft Exchange Online' },
  sharepoint: { id: 20892, name: 'Microsoft SharePoint Online' },
  onedrive: { id: 15600, name: 'Microsoft OneDrive for Business' },
  teams: { id: 28375, name: 'Microsoft Teams' },
  box: { id: 10489, name: 'Box' },
  salesforce: { id: 11114, name: 'Salesforce' },
  google: { id: 11770, name: 'Google Workspace' },
} as const;
type App = (typeof APPS)[keyof typeof APPS];

/** User groups: the first two carry the ids the real service gives its built-in groups. */
const GROUPS = {
  external: { _id: '5e6fa9ace2367fc6340f4864', id: '000000200000000000000000', name: 'External users', description: 'Users outside the managed domains' },
  apps: { _id: '5e6fa9ade2367fc6340f487e', id: '0000003b0000000000000000', name: 'Application (Cloud App Security)', description: 'App-initiated' },
  admins: { _id: '64b7f0c2a1d4e5f600000101', id: '64b7f0c2a1d4e5f600000001', name: 'Office 365 administrator', description: 'Imported from Office 365' },
  finance: { _id: '64b7f0c2a1d4e5f600000102', id: '64b7f0c2a1d4e5f600000002', name: 'Finance', description: 'Imported from Microsoft Entra ID' },
  sales: { _id: '64b7f0c2a1d4e5f600000103', id: '64b7f0c2a1d4e5f600000003', name: 'Sales', description: 'Imported from Microsoft Entra ID' },
  engineering: { _id: '64b7f0c2a1d4e5f600000104', id: '64b7f0c2a1d4e5f600000004', name: 'Engineering', description: 'Imported from Microsoft Entra ID' },
};
type Group = (typeof GROUPS)[keyof typeof GROUPS];

const POLICIES = {
  massDownload: '64c0a1b2c3d4e5f601000001',
  externalSharing: '64c0a1b2c3d4e5f601000002',
  riskyIp: '64c0a1b2c3d4e5f601000003',
};

/** Tag ids (user-agent, IP and device tags). */
const TAGS = {
  nativeClient: '000000000000000000000000',
  outdatedBrowser: '000000000000000000000001',
  corporateIp: '64d1c0ffee0000000000a001',
  tor: '64d1c0ffee0000000000a002',
  azure: '64d1c0ffee0000000000a003',
  compliantDevice: '64d1c0ffee0000000000b001',
  confidential: '64d1c0ffee0000000000c001',
  ssnWarning: '64d1c0ffee0000000000c101',
};

interface Person {
  id: string;
  name: string;
  upn: string;
  org: string | null;
  domain: string | null;
  admin: boolean;
  external: boolean | null;
  status: 0 | 1 | 2 | 3 | 4;
  groups: Group[];
  threatScore: number | null;
}

/** The people (and one app identity) of the tenant's directory, Office 365 users. */
const PEOPLE: Person[] = [
  // The id is the one in the docs' fetch-entity example, so that example key finds this user.
  { id: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee', name: 'Alice Ng', upn: 'alice@contoso.com', org: 'Finance', domain: 'contoso.com', admin: true, external: false, status: 2, groups: [GROUPS.admins, GROUPS.finance], threatScore: 42 },
  { id: '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9', name: 'Bob Ruiz', upn: 'bob@contoso.com', org: 'Sales', domain: 'contoso.com', admin: false, external: false, status: 2, groups: [GROUPS.sales], threatScore: 7 },
  { id: '2c3d4e5f-6071-4829-93a4-b5c6d7e8f901', name: 'Carol Diaz', upn: 'carol@contoso.com', org: 'Engineering', domain: 'contoso.com', admin: false, external: false, status: 3, groups: [GROUPS.engineering], threatScore: 18 },
  { id: '3d4e5f60-7182-493a-a4b5-c6d7e8f90a12', name: 'Dan Wu', upn: 'dan@fabrikam.com', org: null, domain: 'fabrikam.com', admin: false, external: true, status: 2, groups: [GROUPS.external], threatScore: 63 },
  { id: '4e5f6071-8293-4a4b-b5c6-d7e8f90a1b23', name: 'Erin Ford', upn: 'erin@contoso.com', org: 'Sales', domain: 'contoso.com', admin: false, external: false, status: 4, groups: [GROUPS.sales], threatScore: null },
  { id: '5f607182-93a4-4b5c-86d7-e8f90a1b2c34', name: 'HR Sync Connector', upn: '', org: null, domain: null, admin: false, external: null, status: 0, groups: [GROUPS.apps], threatScore: null },
];
const [ALICE, BOB, CAROL, DAN, ERIN] = PEOPLE as [Person, Person, Person, Person, Person, Person];

const pkOf = (p: Person): EntityPk => ({ id: p.id, saas: APPS.office365.id, inst: 0 });
const hex24 = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(24 - prefix.length, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** App accounts of the people above, each a record of its own next to its user. */
const ACCOUNTS: { owner: Person; app: App; id: string; email: string; admin: boolean }[] = [
  { owner: ALICE, app: APPS.box, id: '2918273645', email: 'alice@contoso.com', admin: true },
  { owner: ALICE, app: APPS.salesforce, id: '0055g00000AbCdEAAZ', email: 'alice@contoso.com', admin: false },
  { owner: BOB, app: APPS.google, id: '104839201928374655012', email: 'bob@contoso.com', admin: false },
  { owner: DAN, app: APPS.box, id: '3920184756', email: 'dan@fabrikam.com', admin: false },
];

/**
 * Users and accounts. Fields as the real list returns them (`_id`, `id`, `type`, `status`,
 * `displayName`, `userGroups`, `appData`, `isAdmin`, `isExternal`, `email`, `organization`,
 * `domain`, `lastSeen`, `firstSeen`, `threatScore`, `idType`, `ii`, `username`, `accounts`).
 * `type` is 1 for a user and 2 for an app account (as alert entities mark accounts with
 * `entityType: 2`); `parentUser`, the key of the user an account belongs to, is this mock's name.
 */
export function seedEntities(): Rec[] {
  const users = PEOPLE.map((p, i) => {
    const pk = pkOf(p);
    const firstSeen = BASE_TIME - (90 - i * 11) * 86_400_000;
    return {
      _id: hex24('5f01dc3d2290378200', i + 1),
      id: p.id,
      type: 1,
      status: p.status,
      displayName: p.name,
      email: p.upn || null,
      username: JSON.stringify(pk),
      ii: `${pk.saas}|${pk.inst}|${p.id}`,
      idType: p.upn ? 1 : 17,
      isFake: false,
      isAdmin: p.admin,
      isExternal: p.external,
      role: p.admin ? 'Global Administrator' : null,
      organization: p.org,
      domain: p.domain,
      appData: { appId: APPS.office365.id, name: APPS.office365.name, saas: APPS.office365.id, instance: 0 },
      userGroups: p.groups.map((g, k) => ({ ...g, usersCount: 12 + k * 5 })),
      identifiers: [],
      sid: null,
      threatScore: p.threatScore,
      scoreTrends: null,
      firstSeen: iso(firstSeen),
      lastSeen: iso(BASE_TIME + (i + 1) * 3_600_000 * 7),
      subApps: ACCOUNTS.filter((a) => a.owner === p).map((a) => a.app.id),
      accounts: ACCOUNTS.filter((a) => a.owner === p).map((a, k) => ({
        _id: hex24('5f01dc3d2290378300', i * 10 + k + 1),
        saas: a.app.id,
        inst: 0,
        dn: p.name,
        aliases: [a.email],
        em: a.email,
        isFake: false,
        actions: [],
      })),
      actions: [],
      sctime: null,
    };
  });
  const accounts = ACCOUNTS.map((a, k) => {
    const pk: EntityPk = { id: a.id, saas: a.app.id, inst: 0 };
    const owner = PEOPLE.indexOf(a.owner);
    return {
      _id: hex24('5f01dc3d2290378300', owner * 10 + ACCOUNTS.filter((x) => x.owner === a.owner).indexOf(a) + 1),
      id: a.id,
      type: 2,
      status: a.owner.status,
      displayName: a.owner.name,
      email: a.email,
      username: JSON.stringify(pk),
      ii: `${pk.saas}|${pk.inst}|${a.id}`,
      idType: 1,
      isFake: false,
      isAdmin: a.admin,
      isExternal: a.owner.external,
      role: a.admin ? 'Admin' : null,
      organization: a.owner.org,
      domain: a.owner.domain,
      appData: { appId: a.app.id, name: a.app.name, saas: a.app.id, instance: 0 },
      userGroups: a.owner.groups.map((g) => ({ ...g, usersCount: 12 })),
      identifiers: [],
      sid: null,
      threatScore: null,
      scoreTrends: null,
      firstSeen: iso(BASE_TIME - (60 - k * 9) * 86_400_000),
      lastSeen: iso(BASE_TIME + (k + 1) * 3_600_000 * 5),
      subApps: [],
      parentUser: pkOf(a.owner),
      actions: [],
      sctime: null,
    };
  });
  return [...users, ...accounts];
}

const FILE_TYPES = ['OTHER', 'DOCUMENT', 'SPREADSHEET', 'PRESENTATION', 'TEXT', 'IMAGE', 'FOLDER'];
const ACCESS_LEVELS = ['PRIVATE', 'INTERNAL', 'EXTERNAL', 'PUBLIC', 'PUBLIC_INTERNET'];
/** 0 EXISTS as in real records; 1 TRASHED and 2 DELETED are this mock's codes for the other states. */
const FILE_STATUS = ['EXISTS', 'TRASHED', 'DELETED'];

interface FileSeed {
  name: string;
  app: App;
  owner: Person;
  ftype: number;
  access: number;
  status?: number;
  mime: string;
  collaborators?: Person[];
  labels?: string[];
  scanLabels?: string[];
  policies?: string[];
  quarantined?: boolean;
  folder?: string;
}

const FILE_SEEDS: FileSeed[] = [
  { name: 'Finance', app: APPS.onedrive, owner: ALICE, ftype: 6, access: 1, mime: 'application/vnd.folder' },
  { name: 'Q3 forecast.xlsx', app: APPS.onedrive, owner: ALICE, ftype: 2, access: 2, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', collaborators: [DAN], labels: [TAGS.confidential], policies: [POLICIES.externalSharing], folder: 'Finance' },
  { name: 'Board deck.pptx', app: APPS.onedrive, owner: ALICE, ftype: 3, access: 0, mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', labels: [TAGS.confidential], folder: 'Finance' },
  { name: 'payroll-2023.csv', app: APPS.sharepoint, owner: ALICE, ftype: 4, access: 1, mime: 'text/csv', scanLabels: [TAGS.ssnWarning], policies: [POLICIES.massDownload], quarantined: true },
  { name: 'Price list.docx', app: APPS.sharepoint, owner: BOB, ftype: 1, access: 3, mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', collaborators: [DAN, CAROL], policies: [POLICIES.externalSharing] },
  { name: 'Customer visit.jpg', app: APPS.onedrive, owner: BOB, ftype: 5, access: 0, mime: 'image/jpeg' },
  { name: 'Pipeline review.pptx', app: APPS.google, owner: BOB, ftype: 3, access: 4, mime: 'application/vnd.google-apps.presentation', collaborators: [DAN] },
  { name: 'design-notes.txt', app: APPS.sharepoint, owner: CAROL, ftype: 4, access: 1, mime: 'text/plain', collaborators: [BOB] },
  { name: 'architecture.png', app: APPS.box, owner: CAROL, ftype: 5, access: 2, mime: 'image/png', collaborators: [DAN] },
  { name: 'old-roadmap.docx', app: APPS.onedrive, owner: CAROL, ftype: 1, access: 0, status: 1, mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  { name: 'contract-draft.pdf', app: APPS.box, owner: DAN, ftype: 1, access: 2, mime: 'application/pdf', collaborators: [ALICE] },
  { name: 'leads-export.xlsx', app: APPS.onedrive, owner: ERIN, ftype: 2, access: 0, status: 2, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', scanLabels: [TAGS.ssnWarning] },
  { name: 'setup.bin', app: APPS.sharepoint, owner: CAROL, ftype: 0, access: 1, mime: 'application/octet-stream' },
  { name: 'Team photo.jpeg', app: APPS.teams, owner: BOB, ftype: 5, access: 1, mime: 'image/jpeg' },
];

const siteOf = (p: Person) => `/personal/${p.upn.replace(/[@.]/g, '_')}`;
const driveId = (p: Person) => `${p.id}|ac8c3025-8b97-4758-ac74-${p.id.slice(-12)}`;

/**
 * Files. Fields as real records carry them (`_id`, `id`, `appId`, `saasId`, `instId`, `name`,
 * `fileType`/`ftype`, `fileAccessLevel`/`facl`, `fileStatus`/`fstat`, `mimeType`,
 * `fileExtension`, `ownerAddress`, `ownerName`, `ownerExternal`, `createdDate`, `modifiedDate`,
 * `snapshotLastModifiedDate`, `isFolder`, `parentId`, `parentIds`, `effectiveParents`,
 * `collaborators`, `domains`, `groupIds`, `fTags`, `appName`, `alternateLink`). This mock's own
 * names: `ownerEntity` and `ownerOrgUnit` (the owner's entity key and organizational unit),
 * `fScanTags` (content-inspection warnings), `policies` (matched policy ids), `isQuarantined`, and
 * the fields inside each collaborator (`id`, `name`, `email`, `domain`, `entity`, `role`).
 */
export function seedFiles(): Rec[] {
  const folders = new Map<string, string>();
  return FILE_SEEDS.map((f, i) => {
    const ext = f.ftype === 6 ? '' : (f.name.split('.').pop() ?? '');
    const appItem = `${f.owner.id}|${(0x56aa5551 + i).toString(16)}-0c4c-42d7-93f1-${(0x57ccdca766aa + i).toString(16)}`;
    if (f.ftype === 6) folders.set(f.name, appItem);
    const parent = (f.folder && folders.get(f.folder)) || `${f.owner.id}|8f83a489-34b7-4bb6-a331-260d1291ef6b`;
    const created = BASE_TIME - (40 - i) * 86_400_000;
    const modified = created + ((i * 7) % 20) * 86_400_000 + i * 60_000;
    const collaborators = (f.collaborators ?? []).map((c) => ({
      id: c.upn,
      name: c.name,
      email: c.upn,
      domain: c.domain,
      entity: pkOf(c),
      role: i % 2 === 0 ? 'writer' : 'reader',
      isExternal: c.external === true,
    }));
    const domains = [...new Set([f.owner.domain, ...(f.collaborators ?? []).map((c) => c.domain)].filter((d): d is string => !!d))];
    const status = f.status ?? 0;
    return {
      _id: hex24('5f077e6fc3b664209dae', i + 1),
      _tid: TENANT_ID,
      id: appItem,
      originalId: hex24('5f077e6fc3b664209dae', i + 1),
      appId: f.app.id,
      saasId: f.app.id,
      instId: 0,
      appName: f.app.name,
      name: f.name,
      name_l: f.name.toLowerCase(),
      fileType: [f.ftype, FILE_TYPES[f.ftype]],
      ftype: f.ftype,
      fileTypeDisplay: f.ftype === 6 ? 'Folder' : 'File',
      isFolder: f.ftype === 6,
      fileExtension: ext,
      mimeType: f.mime,
      fileSize: f.ftype === 6 ? 0 : 1024 * (i + 3) * 37,
      fileAccessLevel: [f.access, ACCESS_LEVELS[f.access]],
      facl: f.access,
      fileStatus: [status, FILE_STATUS[status]],
      fstat: status,
      createdDate: created,
      modifiedDate: modified,
      snapshotLastModifiedDate: iso(modified + 3_600_000),
      ownerAddress: f.owner.upn,
      ownerName: f.owner.name,
      ownerExternal: f.owner.external === true,
      ownerEntity: pkOf(f.owner),
      ownerOrgUnit: f.owner.org,
      emails: [f.owner.upn, ...(f.collaborators ?? []).map((c) => c.upn)],
      domains,
      externalShares: collaborators.filter((c) => c.isExternal).map((c) => c.email),
      collaborators,
      display_collaborators: collaborators.map((c) => c.name),
      groupIds: f.access === 1 ? [GROUPS.engineering.id] : [],
      groups: f.access === 1 ? [GROUPS.engineering.name] : [],
      driveId: driveId(f.owner),
      parentId: parent,
      parentIds: [parent],
      effectiveParents: [driveId(f.owner), parent],
      alternateLink: `https://contoso-my.sharepoint.com${siteOf(f.owner)}/Documents/${encodeURIComponent(f.name)}`,
      filePath: `${siteOf(f.owner)}/Documents/${f.name}`,
      isForeign: false,
      noGovernance: false,
      fTags: f.labels ?? [],
      fScanTags: f.scanLabels ?? [],
      dlpScanResults: [],
      policies: f.policies ?? [],
      isQuarantined: f.quarantined ?? false,
      enriched: true,
      scanVersion: 4,
    };
  });
}

interface Place {
  ip: string;
  country?: string;
  city?: string;
  region?: string;
  org: string;
  category: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  ipTags: string[];
  lat?: number;
  lon?: number;
}

const PLACES: Place[] = [
  { ip: '198.51.100.24', country: 'US', city: 'Redmond', region: 'Washington', org: 'Contoso Ltd', category: 1, ipTags: [TAGS.corporateIp], lat: 47.674, lon: -122.121 },
  { ip: '203.0.113.45', country: 'GB', city: 'London', region: 'England', org: 'British Telecommunications', category: 0, ipTags: [], lat: 51.507, lon: -0.128 },
  { ip: '198.51.100.200', country: 'US', city: 'Seattle', region: 'Washington', org: 'Contoso VPN', category: 4, ipTags: [TAGS.corporateIp], lat: 47.606, lon: -122.332 },
  { ip: '192.0.2.77', country: 'NL', city: 'Amsterdam', region: 'North Holland', org: 'Anonymous proxy', category: 3, ipTags: [TAGS.tor], lat: 52.37, lon: 4.895 },
  { ip: '203.0.113.130', country: 'DE', city: 'Frankfurt', region: 'Hesse', org: 'Microsoft Azure', category: 5, ipTags: [TAGS.azure], lat: 50.11, lon: 8.682 },
  { ip: '203.0.113.9', country: 'IL', city: 'Tel Aviv', region: 'Tel Aviv', org: 'Cellcom Group', category: 0, ipTags: [], lat: 32.068, lon: 34.76 },
  // An address that could not be placed: no country.
  { ip: '192.0.2.200', org: 'Unknown', category: 6, ipTags: [] },
];

const DEVICES = [
  { type: 'DESKTOP', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.0.0', family: 'EDGE_CHROMIUM', browser: 'Microsoft Edge', os: 'WINDOWS', osName: 'Windows', kind: 'Browser', tags: [] as string[] },
  { type: 'MOBILE', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', family: 'MOBILE_SAFARI', browser: 'Mobile Safari', os: 'IOS', osName: 'iOS', kind: 'Browser', tags: [] as string[] },
  { type: 'DESKTOP', ua: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.16924; Pro)', family: 'OUTLOOK', browser: 'Microsoft Outlook', os: 'WINDOWS', osName: 'Windows', kind: 'Application', tags: [TAGS.nativeClient] },
  { type: 'TABLET', ua: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1', family: 'MOBILE_SAFARI', browser: 'Mobile Safari', os: 'IOS', osName: 'iPadOS', kind: 'Browser', tags: [] as string[] },
  { type: 'OTHER', ua: 'OneDriveMpc-Transform_Thumbnail/1.0', family: 'MICROSOFT_ONEDRIVE_FOR_BUSINESS', browser: 'Microsoft OneDrive for Business', os: 'OTHER', osName: 'Unknown', kind: 'Application', tags: [TAGS.nativeClient] },
  { type: 'DESKTOP', ua: 'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko', family: 'IE', browser: 'Internet Explorer', os: 'WINDOWS', osName: 'Windows 7', kind: 'Browser', tags: [TAGS.outdatedBrowser] },
];

interface Kind {
  app: App;
  category: string;
  value: string;
  operation: string;
  description: string;
  actionType: string;
  admin?: boolean;
  impersonated?: boolean;
  file?: boolean;
}

/**
 * Kinds of activity. `eventTypeName` categories EVENT_CATEGORY_LOGIN/DOWNLOAD_FILE/UNSPECIFIED are
 * ones real records and the MCAS module show; the other names are plausible spellings.
 */
const KINDS: Kind[] = [
  { app: APPS.office365, category: 'EVENT_CATEGORY_LOGIN', value: 'EVENT_AAD_LOGIN', operation: 'UserLoggedIn', description: 'Log on', actionType: '11161:EVENT_AAD_LOGIN:OAuth2:Authorize' },
  { app: APPS.onedrive, category: 'EVENT_CATEGORY_DOWNLOAD_FILE', value: 'EVENT_O365_ONEDRIVE_GENERIC', operation: 'FileDownloaded', description: 'Download file', actionType: '15600:EVENT_O365_ONEDRIVE_GENERIC:FileDownloaded', file: true },
  { app: APPS.sharepoint, category: 'EVENT_CATEGORY_UPLOAD_FILE', value: 'EVENT_O365_SHAREPOINT_GENERIC', operation: 'FileUploaded', description: 'Upload file', actionType: '20892:EVENT_O365_SHAREPOINT_GENERIC:FileUploaded', file: true },
  { app: APPS.exchange, category: 'EVENT_CATEGORY_UNSPECIFIED', value: 'EVENT_O365_EXCHANGE_GENERIC', operation: 'New-InboxRule', description: 'Create inbox rule', actionType: '20893:EVENT_O365_EXCHANGE_GENERIC:New-InboxRule' },
  { app: APPS.office365, category: 'EVENT_CATEGORY_UNSPECIFIED', value: 'EVENT_AAD_ADMIN', operation: 'Add member to role.', description: 'Add member to role', actionType: '11161:EVENT_AAD_ADMIN:Add member to role.', admin: true },
  { app: APPS.sharepoint, category: 'EVENT_CATEGORY_SHARE_FILE', value: 'EVENT_O365_SHAREPOINT_GENERIC', operation: 'SharingSet', description: 'Share file', actionType: '20892:EVENT_O365_SHAREPOINT_GENERIC:SharingSet', file: true },
  { app: APPS.exchange, category: 'EVENT_CATEGORY_UNSPECIFIED', value: 'EVENT_O365_EXCHANGE_GENERIC', operation: 'MailItemsAccessed', description: 'Access mailbox items', actionType: '20893:EVENT_O365_EXCHANGE_GENERIC:MailItemsAccessed', impersonated: true },
  { app: APPS.box, category: 'EVENT_CATEGORY_DOWNLOAD_FILE', value: 'EVENT_BOX_DOWNLOAD', operation: 'DOWNLOAD', description: 'Download file', actionType: '10489:EVENT_BOX_DOWNLOAD:DOWNLOAD', file: true },
  { app: APPS.teams, category: 'EVENT_CATEGORY_UNSPECIFIED', value: 'EVENT_O365_TEAMS_GENERIC', operation: 'MessageSent', description: 'Send message', actionType: '28375:EVENT_O365_TEAMS_GENERIC:MessageSent' },
  { app: APPS.salesforce, category: 'EVENT_CATEGORY_LOGIN', value: 'EVENT_SALESFORCE_LOGIN', operation: 'Login', description: 'Log on', actionType: '11114:EVENT_SALESFORCE_LOGIN:Login' },
  { app: APPS.exchange, category: 'EVENT_CATEGORY_UNSPECIFIED', value: 'EVENT_O365_EXCHANGE_ADMIN', operation: 'Set-Mailbox', description: 'Change mailbox settings', actionType: '20893:EVENT_O365_EXCHANGE_ADMIN:Set-Mailbox', admin: true },
];

/** Session-control outcomes for a few activities; the rest had no action taken (null). */
const TAKEN: Record<number, { action: string; source: number }> = { 3: { action: 'block', source: 1 }, 8: { action: 'proxy', source: 1 }, 17: { action: 'protect', source: 1 }, 26: { action: 'verify', source: 0 } };

const uuid = (n: number) => `6f1c2e3a-${(n % 65536).toString(16).padStart(4, '0')}-4a7b-8c9d-${(0x0e1f2a3b4c5d + n * 7919).toString(16).slice(-12).padStart(12, '0')}`;

/**
 * Activities, newest last in seed order, one every 37 minutes from 2023-11-14. Fields as real
 * records carry them (`_id`/`uid`, `tenantId`, `aadTenantId`, `appId`, `saasId`, `appName`,
 * `timestamp`, `created`, `eventType`, `eventTypeName`, `eventTypeValue`, `description`,
 * `device{clientIP, userAgent, countryCode}`, `location{countryCode, city, region, category,
 * organizationSearchable, ...}`, `user{userName, userTags}`, `userAgent{..., deviceType, tags}`,
 * `mainInfo{eventObjects, rawOperationName, ...}`, `resolvedActor`, `entityData`, `source`,
 * `rawDataJson`, `severity`). This mock's own names: `instId` (app instance), `actionType`,
 * `isAdminEvent`, `isImpersonated`, `takenAction`, `policies`, `ipTags`, `device.tags`,
 * `user.orgUnit` and `user.userDomain`.
 */
export function seedActivities(n = 40): Rec[] {
  const files = seedFiles();
  const people = PEOPLE.slice(0, 5);
  return Array.from({ length: n }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const person = people[(i * 3 + Math.floor(i / KINDS.length)) % people.length]!;
    const place = PLACES[(i * 5 + 1) % PLACES.length]!;
    const device = DEVICES[(i * 7 + 2) % DEVICES.length]!;
    const taken = TAKEN[i];
    const guid = uuid(i + 1);
    const id = `${TENANT_ID}_${kind.app.id}_${guid}`;
    const timestamp = BASE_TIME + i * 37 * 60_000;
    // Stored seconds to minutes after it happened, every fourth one two hours late (a delayed
    // connector batch), so `created` order differs from `date` order.
    const created = timestamp + (30 + ((i * 7919) % 600) + (i % 4 === 0 ? 7200 : 0)) * 1000;
    const file = kind.file ? files[(i * 3) % files.length] : undefined;
    const pk = pkOf(person);
    const eventObjects: Rec[] = [
      { objType: 21, role: 4, tags: [], name: person.name, instanceId: 0, resolved: true, saasId: APPS.office365.id, id: person.upn },
      { objType: 23, role: 4, tags: person.groups.map((g) => g.id), name: person.name, instanceId: 0, resolved: true, saasId: APPS.office365.id, id: person.id },
    ];
    if (file) eventObjects.unshift({ role: 3, tags: [], name: file.name, id: file.id, serviceObjectType: file.isFolder ? 'Folder' : 'File' });
    const policies = [
      ...(place.category === 3 ? [POLICIES.riskyIp] : []),
      ...(kind.category === 'EVENT_CATEGORY_DOWNLOAD_FILE' && i % 2 === 1 ? [POLICIES.massDownload] : []),
      ...(kind.category === 'EVENT_CATEGORY_SHARE_FILE' ? [POLICIES.externalSharing] : []),
    ];
    const objectUrl = file ? String(file.alternateLink) : kind.app === APPS.exchange ? `https://outlook.office365.com/mail/${person.upn}` : undefined;
    const location: Rec = {
      city: place.city,
      region: place.region,
      longitude: place.lon,
      latitude: place.lat,
      organizationSearchable: place.org,
      anonymousProxy: place.category === 3,
      isSatelliteProvider: false,
      category: place.category,
      categoryValue: ['NONE', 'INTERNAL', 'ADMINISTRATIVE', 'RISKY', 'VPN', 'CLOUD_PROVIDER', 'OTHER'][place.category],
    };
    if (place.country) location.countryCode = place.country;
    return {
      _id: id,
      uid: id,
      tenantId: TENANT_ID,
      aadTenantId: AAD_TENANT,
      appId: kind.app.id,
      saasId: kind.app.id,
      instId: 0,
      appName: kind.app.name,
      timestamp,
      timestampRaw: timestamp,
      created,
      createdRaw: created,
      eventType: 233_580 + KINDS.indexOf(kind),
      eventTypeName: kind.category,
      eventTypeValue: kind.value,
      actionType: kind.actionType,
      genericEventType: 'ENUM_ACTIVITY_GENERIC_TYPE_BASIC',
      description: kind.description,
      description_id: 'EVENT_DESCRIPTION_BASIC_EVENT',
      severity: taken ? 'MEDIUM' : 'INFO',
      confidenceLevel: 20,
      source: taken?.source ?? 2,
      srcAppId: APPS.office365.id,
      isAdminEvent: kind.admin === true,
      isImpersonated: kind.impersonated === true,
      takenAction: taken?.action ?? null,
      policies,
      device: { clientIP: place.ip, userAgent: device.ua, ...(place.country ? { countryCode: place.country } : {}), tags: i % 4 === 0 ? [TAGS.compliantDevice] : [] },
      location,
      ipTags: place.ipTags,
      user: { userName: person.upn, userTags: person.groups.map((g) => g.id), orgUnit: person.org, userDomain: person.domain },
      userAgent: {
        family: device.family,
        name: device.browser,
        operatingSystem: { name: device.osName, family: device.osName },
        type: device.kind,
        typeName: device.kind,
        deviceType: device.type,
        nativeBrowser: device.kind === 'Application',
        tags: device.tags,
        os: device.os,
        browser: device.family,
      },
      internals: { otherIPs: [place.ip] },
      mainInfo: { eventObjects, rawOperationName: kind.operation, prettyOperationName: kind.operation, type: 'basic', activityResult: { isSuccess: taken?.action !== 'block' } },
      resolvedActor: { id: person.id, saasId: String(APPS.office365.id), instanceId: '0', tags: person.groups.map((g) => g.id), objType: '23', name: person.name, role: '4', resolved: true },
      entityData: [{ displayName: person.name, id: pk, resolved: true }],
      classifications: [],
      rawDataJson: {
        CreationTime: iso(timestamp).replace('Z', '0000Z'),
        Operation: kind.operation,
        OrganizationId: AAD_TENANT,
        UserId: person.upn,
        ClientIP: place.ip,
        UserAgent: device.ua,
        ...(objectUrl ? { ObjectId: objectUrl } : {}),
        ...(file ? { SiteUrl: objectUrl!.slice(0, objectUrl!.indexOf('/Documents/') + 1), SourceFileName: file.name, SourceFileExtension: file.fileExtension } : {}),
      },
    };
  });
}

const TITLES = ['Impossible travel activity', 'Mass download by a single user', 'Suspicious inbox forwarding', 'Activity from infrequent country', 'Ransomware activity'];

/** Alerts, each tied to one user's account, the app and policy involved, and that user's activities (`audits`). */
export function seedAlerts(activities: Rec[] = seedActivities()): Alert[] {
  return Array.from({ length: 12 }, (_, i) => {
    const person = PEOPLE[i % 5]!;
    const own = activities.filter((a) => (a.user as Rec | undefined)?.userName === person.upn);
    const related = own.slice(i % 2, (i % 2) + 2);
    const app = related[0] ? { id: Number(related[0].appId), label: String(related[0].appName) } : { id: APPS.office365.id, label: APPS.office365.name };
    const ip = related[0] ? String((related[0].device as Rec).clientIP) : undefined;
    return {
      _id: `5f2ad0f7aa55b3ad0cf2ba${i.toString(16).padStart(2, '0')}`,
      timestamp: BASE_TIME + i * 3_600_000,
      title: TITLES[i % TITLES.length]!,
      description: `${TITLES[i % TITLES.length]} involving ${person.upn}`,
      severityValue: (i % 3) as 0 | 1 | 2,
      resolutionStatusValue: 0,
      statusValue: i % 4 === 1 ? 1 : 0,
      entities: [
        { type: 'account', entityRole: 'Source', entityType: 2, id: person.id, inst: 0, saas: APPS.office365.id, label: person.name, pa: person.upn },
        { type: 'service', id: app.id, label: app.label },
        { type: 'policyRule', id: Object.values(POLICIES)[i % 3]!, label: TITLES[i % TITLES.length]!, policyType: 'ANOMALY_DETECTION' },
        ...(ip ? [{ type: 'ip', id: ip, label: ip }] : []),
      ],
      audits: related.map((a) => String(a._id)),
      isSystemAlert: false,
    };
  });
}
