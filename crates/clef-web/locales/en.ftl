# Clef — English
skip-to-content = Skip to content
nav-main = Main
nav-portfolio = Portfolio
nav-api = API
language = Language
sign-in = Sign in
sign-out = Sign out
sign-in-throttled = Too many failed sign-ins for this e-mail from this network address. Wait 15 minutes, then try again.
sign-in-throttled-everywhere = Too many failed sign-ins for this e-mail from several places. Wait 15 minutes, then try again; if these were not yours, tell an administrator.
sign-in-failed = The e-mail or the password is wrong, or the account is disabled.
setup-title = Welcome to Clef
setup-text = Create the first administrator. You will add the other users afterwards.
setup-submit = Create the administrator
f-your-name = Your name
f-email = E-mail
f-password = Password
confirm-title = Please confirm
confirm-history = The deleted record stays in the history.
delete = Delete
cancel = Cancel
edit = Edit
save = Save
reload = Reload the current version
actions = Actions
portfolio-title = Portfolio
new-customer = New customer
edit-customer = Edit customer
export-csv = Export CSV
search = Search
search-placeholder = Name, city, group or legal id
filter-rows = Find in this table
same-legal-id = Another customer has the same legal id, the same company entered twice perhaps:
export-import-format = The columns of the import: the file can be edited and imported back.
export-figures = Export with figures (CSV)
export-figures-hint = The same list with each customer's owner and figures (revenue and margin over 12 months, growth, share of wallet, rank), to read in a spreadsheet.
filter-none = No row holds these words.
sort-hint = Sorts the table by this column (again: the other way).
filter-count = Rows shown: {"{"}shown{"}"} of {"{"}total{"}"}
apply-filters = Apply
all = All
customers-count = { $count ->
    [one] { $n } customer
   *[other] { $n } customers
}
customers-count-more = more than { $n } customers
showing = showing { $range }
no-customers = No customer matches these filters.
no-customers-yet = The portfolio has no customer yet.
import-a-file = Import a CSV file
within-words = No customer, city or group starts with “{ $q }”: here are those with a word that starts with it.
filters-not-applied = The filters are not applied until they are corrected.
list-of-group = Customers of the group { $name }
list-all-groups = all groups
list-of-parent = Subsidiaries of { $name }
list-of-unknown-parent = Subsidiaries of a customer that does not exist (or no longer does)
list-of-unknown-group = Customers of a group that does not exist (or no longer does)
list-all-parents = all customers
page-past-the-end = This page is past the last one of the list.
go-to-last-page = Go to the last page
pages = Pages
previous = Previous
next = Next
page-of = Page { $page }
form-has-errors = { $count ->
    [one] One field needs your attention.
   *[other] { $count } fields need your attention.
}
updated = Last changed
profile = Profile
group = Group
group-members = Customers of this group
no-group = Not part of a group.
parent = Parent entity
children = Subsidiaries
revenue = Revenue
revenue-ttm = Revenue, last 12 months
share-of-wallet = Share of wallet
no-revenue = No revenue recorded yet.
revenue-lines-csv = Monthly revenue lines as CSV
year = Year
margin = Margin
margin-rate = Margin rate
contacts = Contacts
contact = Contact
new-contact = New contact
edit-contact = Edit contact
no-contacts = No contact yet.
f-name = Name
f-legal-id = Legal id
f-country = Country
f-region = Region
f-city = City
f-group = Group
f-parent-id = Parent entity
group-hint = Type a name to choose among the groups, or a group number
parent-hint = Type a name to choose among the customers, or a customer number
f-business-unit = Business unit
f-industry = Industry
f-segment = Strategic segment
f-owner = Owner
f-status = Status
f-tier = Service tier
f-currency = Currency
f-wallet = Estimated potential (wallet)
f-threat = Threat of reduction
f-position = Competitive position
f-satisfaction = Satisfaction (0–10)
f-notes = Notes
f-first-name = First name
f-last-name = Last name
f-phone = Phone
f-job-title = Job title
not-found-title = Not found
not-found-text = This record does not exist, or it was deleted.
bad-address-text = This address does not lead to a page: an id or a value in it cannot be read.
form-address-title = Not a page
form-address-text = This address receives a form: it does not open as a page. Go back to the page of the form and send it from there.
request-error-title = The request could not be handled
unreadable-form-text = The form sent could not be read. Open its page again and send the form from there.
request-error-text = The request could not be handled. Go back and try again.
too-large-text = What you sent is larger than the { $n } MB the server accepts. Send less at once (split a file to import).
timeout-text = The request did not finish within { $n } s and was stopped. Send less at once, or try again.
conflict-title = Changed by someone else
conflict-text = Someone else changed this record since you opened it. Your input is kept below; reload the current version and apply your change again.
done-created = Customer created.
done-saved = Changes saved.
done-deleted = Customer deleted. It stays in the history, where it can be restored.
done-contact-saved = Contact saved.
done-contact-deleted = Contact deleted. It stays in the history, where it can be restored.
conflict-delete-text = Someone else changed this record since you opened it. Nothing was deleted: look at the current version, then delete it again if you still want to.
forbidden-title = Not allowed
forbidden-text = Your role does not allow this. Ask a director or the account's owner.
confirm-delete-customer = Delete the customer { $name }, with its contacts, revenue lines, candidate scores and calendar links, and its place in program meetings?
delete-customer-blocked = The customer { $name } cannot be deleted: its key-account work and contracts would be lost with it.
delete-blocked-hint = Delete those first (from the account plan, meetings, relationships and contracts), or keep the customer.
group-delete-blocked-hint = Move its customers to another group first (from each customer’s edit page, or with an import), or keep the group.
done-colleague-deleted = Colleague deleted. You can restore them at the foot of this list.
done-colleague-restored = Colleague restored.
colleague-restorable = You can restore them at the foot of the colleagues list.
deleted-colleagues = Deleted colleagues
deleted-colleagues-hint = The latest 50 deleted and not restored. Restoring one brings back their name, function, business unit and e-mail; they took part in nothing when they went.
colleague-delete-blocked-hint = Take this person out of those links, teams and interactions first, or keep them.
delete-detaches-children = { $count ->
    [one] { $n } subsidiary will no longer have a parent entity.
   *[other] { $n } subsidiaries will no longer have a parent entity.
}
dependent-plan-versions = { $count ->
    [one] { $n } account plan version
   *[other] { $n } account plan versions
}
dependent-meetings = { $count ->
    [one] { $n } meeting
   *[other] { $n } meetings
}
dependent-stakeholders = { $count ->
    [one] { $n } stakeholder
   *[other] { $n } stakeholders
}
dependent-links = { $count ->
    [one] { $n } relationship link
   *[other] { $n } relationship links
}
dependent-interactions = { $count ->
    [one] { $n } interaction
   *[other] { $n } interactions
}
dependent-team-members = { $count ->
    [one] { $n } account team member
   *[other] { $n } account team members
}
dependent-contracts = { $count ->
    [one] { $n } contract
   *[other] { $n } contracts
}
confirm-delete-contact = Delete the contact { $name }? Their stakeholder profile, their relationship links and their places in meetings and interactions go with them; the history keeps them, from where the contact can be restored with them.
role-admin = Administrator
role-director = Director
role-kam = Key account manager
role-account-manager = Account manager
role-member = Account team member
role-sponsor = Executive sponsor
role-viewer = Viewer
status-customer = Customer
status-candidate = Candidate
status-key-account = Key account
status-deselected = Deselected
tier-gold = Gold
tier-silver = Silver
tier-bronze = Bronze
scope-national = National
scope-regional = Regional
scope-global = Global
threat-none = None
threat-low = Low
threat-medium = Medium
threat-high = High
position-weak = Weak
position-average = Average
position-strong = Strong
position-leader = Leader
err-required = This field is required.
err-too-long = This value is too long.
err-control-chars = This value contains control characters.
err-invalid-email = Enter an e-mail address such as name@example.com.
err-invalid-country = Enter a two-letter ISO country code such as FR or DE.
err-invalid-currency = Enter an ISO 4217 currency code such as EUR or USD.
err-invalid-amount = Enter an amount such as 1234.50.
err-invalid-date = Enter a date as YYYY-MM-DD.
err-invalid-period = Enter a month as YYYY-MM.
err-invalid-choice = Choose one of the listed values.
err-out-of-range = This value is out of range.
err-out-of-range-between = Enter a value from { $lo } to { $hi }.
err-negative = This value cannot be negative.
err-invalid-id = Enter a positive id.
err-invalid-number = Enter a whole number.
err-unknown-reference = This record does not exist.
err-parent-cycle = A customer cannot be its own parent, directly or through other entities.
err-parent-too-deep = This parent sits under more than 1,000 levels of parents: choose a parent higher in its group.
err-invalid-phone = A phone number holds only digits, spaces and + - ( ) .
err-password-too-short = The password must be at least 10 characters long.
err-margin-above-revenue = The margin cannot exceed the revenue.
err-title-needs-kam = Only key account managers have a title.
err-invalid-sort = This sort order does not exist.
err-not-yours = You can only assign customers to yourself.
# Segmentation, selection and program
nav-segmentation = Segmentation
nav-selection = Selection
nav-program = Program
back = Back
create = Create
saved = Saved.
date = Date
by = By
why = Why
customer = Customer
customers = Customers
title-key-account-manager = Key account manager
title-large-account-manager = Large account manager
title-global-account-manager = Global account manager
err-empty-axis = Give this axis at least one criterion with a weight.
err-too-many = Too many items.
err-over-capacity = This manager is at capacity: give a reason to go beyond it.
err-manager-full = This manager already runs as many key accounts as allowed: choose another manager.
err-not-a-kam = Choose an active key account manager.
err-not-a-sponsor = Choose an executive sponsor (role sponsor or director).
err-sponsor-set = This account already has an executive sponsor: keep it, or ask a program director to name another.
err-invalid-key = Use 1 to 40 lower-case letters, digits or underscores.
err-already-in-team = This person is already on the account team: change their line instead.
err-duplicate = This value is already used.
err-stale = Someone else saved this meanwhile; reload to see their version.
err-conflict = This does not fit the record's current state.
err-unavailable = The result cannot be computed now.
segmentations-title = Segmentations
segmentations-intro = A segmentation weighs the customers' figures and attributes to place each customer in a matrix (attractiveness × our position), gives the Pareto (ABC) classes and the service tiers. Move the weights and thresholds: the results follow at once.
no-segmentations = No segmentation yet.
new-segmentation = New segmentation
f-scope = Scope
f-scope-value = Business unit, region, country or owner
scope-value-help = The id of the business unit or owner, the region's name or the country code; empty for the whole company.
segscope-company = Whole company
segscope-business-unit = Business unit
segscope-region = Region
segscope-country = Country
segscope-owner = Owner's portfolio
export-customers = Customers CSV
export-matrix = Matrix CSV
export-abc = ABC CSV
apply-segmentation = Apply…
segmentation-saved = The segmentation is saved.
segmentation-settings = Settings
f-target-segments = Target strategic segments (comma-separated)
criteria = Criteria
criteria-help = Weight from -100 to 100 (0 leaves the criterion out; a negative weight counts against the axis). Percentile spreads heavy-tailed amounts across the matrix; log and linear scale between the lowest and highest value.
criterion = Criterion
axis = Axis
weight = Weight
scale = Scale
axis-attractiveness = Attractiveness
axis-position = Our position
crit-revenue = Revenue (12 months)
crit-margin = Margin (12 months)
crit-wallet = Wallet (estimated potential)
crit-potential = Untapped potential (wallet − revenue)
crit-growth = Growth
crit-trend = 3-year trend
crit-margin-rate = Margin rate
crit-share-of-wallet = Share of wallet
crit-threat = Threat of reduction
crit-competitive-position = Competitive position
crit-strategic-segment = In a target strategic segment
crit-satisfaction = Satisfaction
scale-percentile = Percentile (rank)
scale-log = Logarithmic
scale-linear = Linear
abc-and-matrix = ABC classes and matrix
abc-measure = ABC measured on
measure-revenue = Revenue
measure-margin = Margin
abc-cut-a = Class A up to (% of the measure)
abc-cut-b = Class B up to (% of the measure)
att-threshold-1 = Attractiveness: low → medium
att-threshold-2 = Attractiveness: medium → high
pos-threshold-1 = Position: weak → medium
pos-threshold-2 = Position: medium → strong
tier-rules = Service tier rules
tier-rules-help = A customer is Gold if it matches a Gold box, else Silver if it matches a Silver box, else Bronze.
class = Class
posture-develop = Develop
posture-build = Build position
posture-maintain = Maintain
posture-optimise = Optimise cost to serve
posture-reduce = Reduce
whatif-not-saved = The results show the settings on screen; save to keep them.
whatif-invalid = These settings cannot be computed:
matrix = Matrix
matrix-caption = Customers, revenue and recommended posture per cell
level-low = Low
level-medium = Medium
level-high = High
pareto-title = Pareto curve
measure = Measure
share = Share
service-tiers = Service tiers
movers = Customers who would move
meetings-search = Words of the title
movers-csv = Download every customer who would move with these settings (CSV)
movers-largest = { $count ->
    [one] The one with the largest revenue is listed.
   *[other] The { $n } with the largest revenue are listed.
}
movers-vs-snapshot = Compared with snapshot #{ $id }
movers-vs-tiers = Compared with today's tiers
cell = Cell
snapshots = Snapshots
no-snapshots = Not applied yet: applying stores a dated snapshot and sets the service tiers.
snapshots-newest = { $count ->
    [one] The newest snapshot is listed.
   *[other] The { $n } newest snapshots are listed.
}
snapshots-all = { $count ->
    [one] The snapshot
   *[other] All { $n } snapshots
}
applied-at = Applied
tiers-changed = Tiers changed
compare = Compare
compare-from = Before
compare-to = After
compare-title = Comparison of two snapshots
compare-choose-two = Choose two snapshots to compare.
moved = Moved
entered = Entered the scope
left = Left the scope
class-moves = Class moves
tier-moves = Tier moves
no-movers = Nobody moved.
apply-confirm = Apply “{ $name }” now?
apply-tier-changes = { $count ->
    [one] { $n } customer changes service tier
   *[other] { $n } customers change service tier
}
apply-history = A dated snapshot is stored; the tier changes are in the history.
applying-title = Applying a segmentation
applying-heading = Applying “{ $name }”
apply-stage-elsewhere = Being applied by another server of Clef sharing the database: this page follows it until it ends.
apply-stage-start = Getting the placements ready…
apply-stage-placements = { $count ->
    [one] Storing the placement of { $count } customer in the snapshot…
   *[other] Storing the placements of { $count } customers in the snapshot…
}
apply-stage-tiers = { $count ->
    [one] Setting the new service tier of { $count } customer…
   *[other] Setting the new service tier of { $count } customers…
}
applying-note = This page follows the work by itself and opens the segmentation when the snapshot is stored. You may leave it: the work goes on.
applying-refresh = Refresh now
apply-failed-title = The segmentation was not applied
apply-failed = Nothing was changed: { $reason }
apply-reason-server = the work stopped on an error recorded in the server’s log
apply-reason-other = the segmentation could not be applied (it may have been changed or removed meanwhile); open it and apply it again
delete-segmentation-confirm = Delete the segmentation “{ $name }” and its snapshots?
delete-segmentation-history = { $count ->
    [0] Its settings can be restored at the foot of the segmentations list. It was never applied: no customer's tier comes from it.
    [one] Its settings can be restored at the foot of the segmentations list; its one snapshot (the tiers it gave when it was applied) goes with it, and cannot be brought back. The customers keep their tiers.
   *[other] Its settings can be restored at the foot of the segmentations list; its { $n } snapshots (the tiers it gave each time it was applied) go with it, and cannot be brought back. The customers keep their tiers.
}
selection-title = Key-account selection
selection-intro = Candidates are scored from 1 to 5 on each criterion of the grid, with evidence. A proposal is approved or rejected by a director or the account's sponsor; deselecting needs a reason.
candidates = Candidates
no-candidates = No candidate. Give a customer the status Candidate, or propose it from its selection page.
grid-score = Score
criteria-scored = Criteria scored
pending-decision = Waiting for a decision
selection-grid = Candidate grid
counts = Counts
grid-scores = Scores on the grid
score-1-5 = Score (1–5)
evidence = Evidence
decision = Decision
proposed-manager = Key account manager
f-sponsor = Executive sponsor
decision-note = Note (optional)
override-reason = Reason to go beyond the capacity
approve = Approve
reject-reason = Why reject
reject = Reject
decision-by-director = A director or the account's sponsor decides.
deselect-reason = Why deselect
deselect = Deselect
confirm-reject = Turn down the proposal of { $name } as key account?
confirm-deselect = Take { $name } out of the key-account program? Its plan, team and meetings stay, its executive sponsor is released; it can be proposed again later.
confirm-decision-history = The decision, who took it and why stay in the selection history.
confirm-why = Why
is-key-account = This customer is a key account.
propose-reason = Why this customer should be a key account
propose = Propose as key account
decision-history = History
no-decisions = No decision yet.
decision-proposed = Proposed
decision-approved = Approved
decision-rejected = Rejected
decision-deselected = Deselected
program-title = Key account program
manager-loads = Managers' load
capacity-rule = A key account manager runs at most 3 key accounts; a large account manager 5 to 10.
no-managers = No key account manager yet.
f-title = Title
key-accounts = Key accounts
capacity = Capacity
load = Load
load-under = Below the range
load-within = Within
load-full = Full
load-over = Over capacity
pending-proposals = Proposals waiting for a decision
no-pending = None.
recent-decisions = Recent decisions
decisions-latest = { $count ->
    [one] The latest is listed; the CSV has them all.
   *[other] The { $n } latest are listed; the CSV has them all.
}
all-decisions-csv = Every decision (CSV)
portfolio-figures = Portfolio figures
revenue-12m = Revenue, 12 months
revenue-prev-12m = Revenue, 12 months before
growth = Growth
trend-3y = 3-year trend
margin-12m = Margin, 12 months
revenue-rank = Rank by revenue
cumulative-share = Cumulative share of revenue
ranks-pending = being updated
err-use-selection = Use the selection page: it records who decided, when and why.
computing = Computing…
# Key account plans
nav-plans = Plans
nav-my-actions = My actions
plans-title = Key account plans
plans-search = Search the plans
plans-search-hint = words in any section: purchasing, SWOT, notes…
plans-hits = { $count ->
    [0] No match
    [one] One match
   *[other] { $n } matches
}
plans-no-hit = Nothing in the plans you can see matches these words.
plans-count = { $count ->
    [one] { $n } account
   *[other] { $n } accounts
}
plans-empty = No key account yet, or none whose plan you can see.
plans-no-match = No account has a plan in this state with this owner.
plan-title = Account plan
plan-version = version
plan-none = No plan yet
plan-in-force = In force
plan-completeness = Completeness
plan-updated = Last change
plan-empty = This key account has no plan yet.
plan-not-key-account = Only key accounts have a plan: select this customer as a key account first.
plan-first-year = First year
plan-year-default = default
plan-bad-year = Enter a year from 2000 to 2100, or leave it blank.
plan-create = Start the plan
plan-next-version = Start the next version
plan-compare = Compare
plan-compare-from = From
plan-compare-to = to
plan-changes = { $count ->
    [0] No field differs.
    [one] One field differs.
   *[other] { $n } fields differ.
}
plan-field = Field
plan-submit = Submit for approval
plan-return = Return to draft
plan-return-note = Why
plan-returned = Returned to draft:
plan-archive = Archive
plan-frozen = Approved and frozen: start the next version to change it. Approved on
plan-documents = Documents
plan-vs-actual = Business plan: targets and actuals
plan-nothing-yet = Nothing yet.
plan-follow-up = Follow-up
plan-missing = (empty)
plan-fix-fields = The plan was not saved; correct these fields:
plan-sections = Sections
plan-remove-row = Remove this row
plan-add-rows = More rows
plan-cannot-title = This cannot be done
plan-cannot-submit = The plan cannot be submitted yet:
plan-cannot-return = The plan cannot be returned to draft:
plan-archive-confirm = Archive this plan? An archived plan cannot be edited or brought back, and its actions are no longer followed up. The plan and its history stay readable.
plan-confirm-delete = Delete the draft { $name }? Its content stays in the history, from where the draft can be restored.
plan-done-saved = Plan saved.
plan-done-restored = Draft restored from the history, with its content, as the plan’s newest version.
plan-done-submit = Submitted for approval.
plan-done-approve = Approved: this version is now the plan in force, and frozen.
plan-done-return = Returned to draft.
plan-done-archive = Archived.
plan-status-draft = Draft
plan-status-submitted = Submitted
plan-status-approved = Approved
plan-status-archived = Archived
plan-stage-transactional = Transactional
plan-stage-collaborative = Collaborative
plan-stage-partnership = Partnership
plan-swot-strength = Strength
plan-swot-weakness = Weakness
plan-swot-opportunity = Opportunity
plan-swot-threat = Threat
plan-initiative-planned = Planned
plan-initiative-validated = Validated
plan-initiative-in-progress = In progress
plan-initiative-done = Done
plan-initiative-dropped = Dropped
plan-action-open = Open
plan-action-in-progress = In progress
plan-action-done = Done
plan-action-cancelled = Cancelled
plan-project-idea = Idea
plan-project-running = Running
plan-project-delivered = Delivered
plan-project-stopped = Stopped
plan-s-direction = Objective and vision
plan-s-knowledge = Account knowledge
plan-s-swot = SWOT
plan-s-notes = Notes from colleagues
plan-s-initiatives = Strategic initiatives
plan-s-actions = Actions
plan-s-risks = Risks
plan-s-levers = Levers
plan-s-people = Resources: people
plan-s-logistics = Resources: logistics
plan-s-budget = Resources: budget
plan-s-targets = 3-year business plan
plan-s-projects = Value co-creation projects
plan-s-customer = For the customer
plan-s-executives = For our executives
plan-f-objective = Strategic objective (one sentence)
plan-f-vision = Vision
plan-f-stage = Relationship stage
plan-f-organisation = Organisation
plan-f-strategy = Strategy
plan-f-market = Market
plan-f-purchasing = Purchasing process
plan-f-history = History
plan-f-financial = Financial summary
plan-f-kind = Kind
plan-f-text = Text
plan-f-evidence = Evidence
plan-f-source = Source
plan-f-author = From
plan-f-date = Date
plan-f-title = Title
plan-f-rationale = Rationale
plan-f-expected_value_cents = Expected value
plan-f-owner_id = Owner
plan-f-status = Status
plan-f-joint = Run with the customer
plan-f-validated_by = Validated by
plan-f-validated_on = Validated on
plan-f-initiative = Initiative
plan-f-start = Start
plan-f-due = Due
plan-f-probability = Probability (1–5)
plan-f-impact = Impact (1–5)
plan-f-mitigation = Mitigation
plan-f-description = Description
plan-f-name = Name
plan-f-user_id = Clef user
plan-f-role = Role
plan-f-share_pct = Share of time (%)
plan-f-logistics = Logistics
plan-f-label = Budget line
plan-f-year = Year
plan-f-amount_cents = Amount
plan-f-revenue_cents = Revenue target
plan-f-margin_cents = Margin target
plan-f-share_of_wallet_pct = Share of wallet target (%)
plan-f-value = Value for the customer
plan-f-shared_goals = Shared goals
plan-f-value_delivered = Value delivered
plan-f-asks = What we ask of our executives
my-actions = My actions
my-actions-all = Show finished and cancelled ones too
my-actions-open = Show open ones only
my-actions-empty = No action of yours in the plans.
actions-count = { $count ->
    [one] One action.
   *[other] { $n } actions, overdue ones first, then by due date.
}
actions-count-sorted = { $count ->
    [one] One action.
   *[other] { $n } actions.
}
my-actions-search-hint = Words of the action, or of its customer or meeting.
my-actions-no-match = No action matches this search.
overdue = Overdue
yes = Yes
no = No
doc-executive-summary = Executive Summary
doc-customer-brief = Customer Executive Brief
doc-key-figures = Key figures
doc-target-revenue = Revenue target
doc-actual-revenue = Revenue booked
doc-target-margin = Margin target
doc-actual-margin = Margin booked
doc-target-sow = Share of wallet target
doc-actual-sow = Share of wallet
doc-main-risks = Main risks
doc-joint-initiatives = Joint initiatives
doc-next-steps = Next steps
doc-internal = Internal and confidential: not for the customer.
doc-back = Back to the plan
err-objective-required = Write the strategic objective, in one sentence, before submitting.
err-one-sentence = The strategic objective is a single sentence: move the rest to the vision.
err-due-before-start = The due date cannot be before the start date.
err-unknown-initiative = Choose an initiative of this plan.
err-other-plan = Both versions must belong to the same plan.
err-other-customer = This belongs to another customer: choose one of this customer's people.
err-invalid-body = The request body does not have the expected shape.
doc-objective = Strategic objective
# Relationships
relationships-title = Relationships
add = Add
add-colleague = Add a colleague
add-contact = Add a contact
add-link = Add the link
add-member = Add to the team
attitude-unknown = Attitude unknown
colleague = colleague
colleagues-title = Colleagues
colleagues-intro = People of ours who do not use Clef: they can be linked to the customers' people and sit on account teams.
coverage-count = { $count ->
    [one] { $n } person to cover
   *[other] { $n } people to cover
}
coverage-no-match = No one matches this search and this kind of gap.
coverage-search = Customer or person
only-without-sponsor = Only those without a sponsor
sponsorship-no-match = No key account matches this search.
colleagues-count = { $count ->
    [one] { $n } colleague
   *[other] { $n } colleagues
}
colleagues-no-match = No colleague matches this search.
colleagues-none = No colleague yet.
line = Line
column = Column
reason = Reason
confirm-remove = Remove this line? It stays in the history.
coverage-title = Coverage
coverage-portfolio = Relationship coverage of the key accounts
coverage-gaps = Gaps
coverage-none = No coverage gap.
coverage-partial = Attitude and influence are for the account team: only contacts not met show here.
coverage-rules = Flagged: decision makers and influencers of influence 4 or 5 with no link of strength 3 or more; contacts not met for more than { $days } days; opponents with no planned action.
gap-uncovered-influential = Influential, no strong link
gap-not-met = Not met lately
gap-opponent-without-action = Opponent, no planned action
never = never
dedicated = Dedicated
shared = Shared
dedicated-or-shared = Dedicated or shared
download-svg = Download the map (SVG)
f-attitude = Attitude
f-buying-role = Role in the decision
f-coverage-days = Days without contact before a warning
f-date = Date
f-frequency = Usual frequency
f-function = Function
f-kind = Kind
f-level = Level
f-link-owner = Link owner
f-next-action = Planned action
f-next-action-on = Planned for
f-reports-to = Reports to
f-sponsor-limit = Key accounts per sponsor, at most
f-strength = Strength (1–5)
f-subject = Subject
import = Import
import-csv = Import a CSV file
import-done = { $count ->
    [one] One row imported.
   *[other] { $n } rows imported.
}
import-rejected = { $count ->
    [one] Nothing was imported: one problem.
   *[other] Nothing was imported: { $n } problems.
}
import-hint = Paste the file, header line included; the columns are those of the export. Every row is written, or none.
import-paste = The CSV text
import-what = What
influence = Influence
children-more = The first 100 subsidiaries are listed, by name.
children-all = Subsidiaries in the portfolio list (filters, sort, CSV)
interactions-more = The newest 20 interactions are shown; the list of all interactions has the others.
interactions-all = All interactions (search, sort, pages)
interactions-search = Subject or person
interactions-no-match = No interaction matches this search and this kind.
interactions-count = { $count ->
    [one] { $n } interaction
   *[other] { $n } interactions
}
interactions-none = No interaction recorded yet.
interactions-title = Interactions
sponsor-last = last
sponsor-next = next
last-contact = Last contact
last-interaction = Last interaction
links-none = None of our people is linked to this customer's people yet.
links-title = Our links
map-heading = Stakeholder map
map-links = our links (strength)
map-title = Stakeholder map of { $name }
no-key-accounts = No key account yet.
no-sponsor = No sponsor
our-people = Our people
our-person = Our person
over-allocated = Over 100 %
planned = planned
record-interaction = Record the interaction
remove = Remove
settings = Settings
share-here = Share of time here
share-total = Share in all accounts
sponsor-limit-is = the limit is { $n }
sponsor-over = { $count ->
    [one] sponsors one key account, more than the limit
   *[other] sponsors { $n } key accounts, more than the limit
}
sponsor-over-short = over the limit
sponsors = Executive sponsors
no-sponsors = No executive sponsor yet: an administrator gives the sponsor role to members of the executive committee.
sponsorship-matrix = Sponsors × key accounts
sponsorship-title = Sponsorship plan
stakeholder-profile = Stakeholder profile
stakeholders = Stakeholders
team-none = No team member yet.
team-title = Account team
their-people = Their people
their-person = Their person
without-sponsor = { $count ->
    [one] One key account has no executive sponsor.
   *[other] { $n } key accounts have no executive sponsor.
}
buying-role-decision-maker = Decision maker
buying-role-influencer = Influencer
buying-role-buyer = Buyer
buying-role-user = User
buying-role-gatekeeper = Gatekeeper
level-executive = Executive
level-management = Management
level-operational = Operational
attitude-champion = Champion
attitude-supporter = Supporter
attitude-neutral = Neutral
attitude-sceptic = Sceptic
attitude-opponent = Opponent
frequency-weekly = Weekly
frequency-monthly = Monthly
frequency-quarterly = Quarterly
frequency-yearly = Yearly
frequency-ad-hoc = When needed
interaction-meeting = Meeting
interaction-call = Call
interaction-email = E-mail
interaction-visit = Visit
interaction-event = Event
team-function-sales = Sales
team-function-logistics = Logistics
team-function-marketing = Marketing
team-function-production = Production
team-function-finance = Finance and controlling
team-function-quality = Quality
team-function-customer-service = Customer service
team-function-engineering = Engineering
team-function-other = Other
err-reports-to-cycle = This would make a loop: someone would end up reporting to themselves.
err-one-of = Choose exactly one person.
# Meetings
meetings-title = Meetings
program-meetings-title = Program meetings
meeting = Meeting
action-items = Action items
agenda = Agenda
minutes = Minutes
decisions = Decisions
at-time = Time
cadence-kept = Cadence kept
cadence-min = Meetings a year, at least
cadence-max = Meetings a year, at most
cadence-overview = Cadence
calendar-title = Calendars
calendar-intro = Subscribe any calendar application to these addresses; they need no password, so keep them private, and revoke one that leaked.
comment = Comment
companies = Customer companies
confirm-revoke = Revoke this calendar? Its address stops working.
created = Created
download-ics = Add to my calendar (.ics)
duration-minutes = Duration (minutes)
evaluation = Evaluation
evaluation-saved = Evaluation saved.
external = External
internal = Internal
feed = Calendar
feed-account-create = Create the account's calendar
feed-created = Your new calendar address (shown only now):
feed-mine = My meetings
feed-mine-create = Create my calendar
format = Format
format-default = The format's first objective
format-key = Key (letters, digits, _)
formats-intro = The five formats of the practice, pre-filled with what 38 key account programs do; change them to your practice, or add your own.
formats-title = Meeting formats
from-meetings = From meetings
from-plans = From account plans
held-12m = Held in 12 months / range
how-many = How many in the next 12 months
last-held = Last held
led-by = Led by
location = Location
max-minutes = Maximum duration (minutes)
meeting-record = Record
meetings-list = All meetings
name-en = Name (English)
name-fr = Name (French)
new-feed = New calendar
new-format = Add a format
next-meeting = Next
no-action-items = No action item.
no-feeds = No calendar yet.
no-meetings = No meeting yet.
no-meetings-here = No meeting in this view.
meetings-when = Show
meetings-when-all = All meetings
meetings-when-upcoming = Upcoming (from today)
meetings-when-past = Past
meetings-count = { $count ->
    [one] { $n } meeting
   *[other] { $n } meetings
}
objective-met = Objective met (1–5)
objectives = Objectives
one-meeting-hint = empty: this one meeting
online = Online
past-due = { $count ->
    [one] one past date not held
   *[other] { $n } past dates not held
}
per-year = year
plan-action-link = Follows up the plan action
plan-year = Plan the year
plan-year-button = Plan
planned-ahead = Planned ahead
primary-objective = Primary objective
revoke = Revoke
satisfaction = Satisfaction (1–5)
save-evaluation = Save the evaluation
scope = Held for
secondary-objectives = Other objectives
start-on = From
usual = usual
usual-minutes = Usual duration (minutes)
usual-participants = Usual participants
year-calendar = The year ahead
kept-below = Below the range
kept-within = Within the range
kept-above = Above the range
meeting-status-planned = Planned
meeting-status-held = Held
meeting-status-cancelled = Cancelled
scope-account = One account
scope-program = The program
objective-increase-trust = Increase customer trust
objective-co-innovate = (Co-)innovate
objective-new-business = Identify new business
objective-cross-performance = Review cross performance
objective-relationship-processes = Improve relationship processes
objective-train-kams = Train account managers
objective-field-information = Share field information
objective-evaluate-progress = Evaluate progress
objective-team-cohesion = Team cohesion
objective-planning = Planning
confirm-delete-meeting = Delete the meeting “{ $name }”? The history keeps a copy; an account’s meeting can be restored from its customer’s history, a program meeting from the program’s meetings page.
confirm-delete-held-meeting = “{ $name }” was held: its minutes, decisions and evaluation will go with it. Delete it? The history keeps a copy, from where an account’s meeting can be restored (from its customer’s history), or a program meeting (from the program’s meetings page).
err-objective-missing = Choose the primary objective: what is this meeting for?
err-too-long-meeting = This is longer than the format allows.
err-clash = Someone is already in another meeting at that time.
err-invalid-time = Enter a time such as 09:30.
err-not-working-day = Choose a working day.
err-program-format = This format is for the whole program, not one account.
err-held-in-future = A meeting in the future cannot have been held yet.
not-planned = Not planned
err-viewer-owner = A viewer cannot own this: choose someone who can act.
err-cannot-own = This user cannot own customers: choose a key account manager, an account manager, a director or an admin.
accounts-cadence = Key accounts: meetings held in 12 months / range

## Contracts and renewals
nav-renewals = Renewals
renewals-title = Contract renewals
renewals-intro = Contracts by the last day to decide (the renewal date less the notice period), the earliest first, with those whose day has passed.
renewals-within = To decide within { $days } days, and passed
renewals-all = Every contract
renewals-window = Decision due
f-customer-name = Customer name
contracts-count = { $count ->
    [one] { $n } contract
   *[other] { $n } contracts
}
no-renewals = No contract is to be decided in this period.
no-contracts-at-all = No contract recorded yet: add them from a customer's page, or import them.
no-renewals-match = No contract matches these filters in this period.
renewals-search = Customer, title or reference
renewals-search-hint = The start of the customer's name, or of a word of the contract's title or reference.
decide-by = Decide by
f-renews-on = Renewal date
f-starts-on = Start date
f-notice-days = Notice period (days)
f-annual-value = Yearly value
value-sort-hint = Sorted by currency, then by value within each currency
f-auto-renew = Renews automatically
f-reference = Reference
contract = Contract
contracts = Contracts
new-contract = New contract
edit-contract = Edit contract
no-contracts = No contract recorded.
contract-form-hint = The renewal date is when the contract renews or ends; the notice period says how many days before it notice must be given, which sets the last day to decide. The yearly value is in the currency given, the customer's by default.
confirm-delete-contract = Delete the contract { $name }?
done-contract-saved = Contract saved.
done-contract-deleted = Contract deleted. It stays in the history, where it can be restored.
done-contract-restored = Contract restored, with every field it had.
renewal-passed = Renewal date passed
renewal-decide = To decide
renewal-notice-passed = Notice passed
renewal-later = Later
err-before-start = The renewal date cannot be before the start date.

## Importing from the browser
import-title = Import a CSV file
import-intro = Customers, contacts, revenue lines or contracts from a CSV file (UTF-8, the first line naming the columns). Every row is checked first: if any is wrong, nothing is imported and each problem is listed by line and column. A line with an id replaces that record; a line without one adds a record.
import-kind = What the file holds
import-kind-customers = Customers
import-kind-contacts = Contacts
import-kind-revenue = Revenue lines
import-kind-contracts = Contracts
import-file = CSV file
import-limit = Files up to { $mb } MB; larger ones import with the command clef import.
import-button = Import
import-choose-again = Choose the file again: a browser does not keep it.
import-check-button = Check only
import-check-hint = Check only reads and checks the file, then says how many records importing it would replace and add; nothing is written.
import-checked = { $count ->
    [0] The file holds no row: nothing was written.
    [one] One row checked: no problem found. Nothing was written.
   *[other] { $n } rows checked: no problem found. Nothing was written.
}
import-preview-intro = Importing this file would:
import-would-replace = { $count ->
    [0] replace no existing record;
    [one] replace one existing record (a row with an id replaces that record; a revenue line, the one of the same customer, business unit and month);
   *[other] replace { $n } existing records (a row with an id replaces that record; a revenue line, the one of the same customer, business unit and month);
}
import-would-add = { $count ->
    [0] add no record.
    [one] add one record.
   *[other] add { $n } records.
}
import-recent = Your latest imports
import-started = Started
import-outcome = Outcome
import-running = Running…
import-check-next = Import a file (choose it again: a browser does not keep it)
import-formats = Formats
import-formats-intro = The columns of each kind, in the order exports write them; an empty template holds just the first line.
import-columns = Columns
import-template = Empty template
import-stage-start = Starting…
import-stage-read = Reading the file
import-stage-check = Checking the rows
import-stage-write = Writing
import-stage-figures = Computing the portfolio figures
import-running-note = This page follows the import by itself; the import goes on if you leave it.
import-failed = Nothing was imported: { $reason }.
import-first-problems = The first { $n } are listed here.
import-problems = Problems of the file
import-problems-csv = Download the problems (CSV)
import-again = Import a file
import-another = Import another file
import-gone-title = Import not found
import-gone-text = This import is not known here: it may have been started on another server, by someone else, or too long ago.
err-no-file = Choose a CSV file to import.
err-unreadable-upload = The file could not be received; try again.
err-notice-out-of-range = Enter a notice period of 0 to 730 days.
err-unreadable-header = The first line cannot be read: it must name the columns, separated by commas.
err-empty-file = The file is empty: its first line must name the columns.
err-not-utf8 = This text is not UTF-8: save the file as CSV UTF-8 and import it again.
err-missing-columns = Columns are missing: the first line must name the columns of the format (see the empty templates).
err-unknown-columns = The first line names columns this format does not have (see the empty templates).
err-repeated-column = This column is named twice in the first line.
err-unreadable-line = This line cannot be read: a quote is not closed, or it has more or fewer values than the first line.
err-invalid-boolean = Write true or false.
err-other-currency = This currency is not the customer's: its revenue is followed in one currency.
err-kam-only = Only the account's KAM and directors may change this.

## Users
nav-users = Users
users-title = Users
users-search-placeholder = Name or e-mail
users-count = { $count ->
    [one] { $n } user
   *[other] { $n } users
}
users-of = { $count ->
    [one] of { $n }
   *[other] of { $n }
}
no-users = No user matches these filters.
new-user = New user
edit-user = Edit user
f-role = Role
f-kam-title = Title (key account managers)
kam-title-hint = For the kam role only; left empty, a kam is a key account manager (at most 3 key accounts).
f-account = Account
f-password-again = Password, again
user-active = Active
user-inactive = Switched off
user-active-hint = A switched-off user can no longer sign in nor use an API token; what they recorded stays.
user-email-fixed = The e-mail identifies the user and does not change.
user-locale-browser = The browser's
user-password-hint = Leave the passwords empty to keep the current one; a new one signs the user out everywhere.
done-user-created = User created.
done-user-saved = User saved.
err-passwords-differ = The two passwords differ: type the same one twice.
err-password-too-weak = The password is too easy to guess: use at least 4 different characters.
err-last-admin = This is the last active administrator: make another user an administrator first.
err-own-account = You cannot switch off your own account; another administrator can.

## Customer groups and business units
groups-title = Customer groups
groups-count = { $count ->
    [one] { $n } group
   *[other] { $n } groups
}
no-groups = No group matches this search.
no-groups-yet = No customer group yet.
no-candidate-match = No candidate's name, nor a word in it, starts with this search.
all-candidates = All candidates
new-group = New group
edit-group = Edit group
group-customers = Customers
group-form-hint = Imports name groups: two groups cannot have the same name. The country is the group's home country, for a national or regional group.
confirm-delete-group = Delete the customer group { $name }?
group-has-customers = { $count ->
    [one] { $n } customer still belongs to it: move it to another group, or to none, first.
   *[other] { $n } customers still belong to it: move them to another group, or to none, first.
}
done-group-saved = Group saved.
done-group-deleted = Group deleted. You can restore it at the foot of this list.
done-group-restored = Group restored.
refused-group-name-taken = A customer group is named “{ $name }” now: rename it, then restore this one.
group-restorable = You can restore it at the foot of the groups list.
deleted-groups = Deleted groups
deleted-groups-hint = The latest 50 deleted and not restored. Restoring one brings back its name, scope and country; its customers were moved before it went.
removed-on = Deleted on
units-title = Business units
no-units = No business unit yet.
new-unit = New business unit
edit-unit = Rename the business unit
f-code = Code
unit-code-fixed = The code does not change: revenue files name it.
done-unit-saved = Business unit saved.
reference-links = Reference data:
import-busy-title = Imports are running
import-busy-text = Two imports are already running on this server: start yours when one has ended.
err-upload-too-large = This file is larger than the server accepts: split it, or import it with the command clef import.

## History
history-deleted = deleted
see-history = See its history
history-from = From
history-to = To
edit-action-item = Correct the action item
done-action-saved = Action item saved.
done-action-deleted = Action item deleted. You can restore it below the action items.
confirm-delete-action = Delete the action item “{ $name }”?
action-delete-history = It can be restored from the foot of the meeting’s action items.
done-interaction-deleted = Interaction deleted. The customer's history keeps it, and can restore it.
done-link-deleted = Link deleted. The customer's history keeps it, and can restore it.
done-member-removed = Member removed from the team. The customer's history keeps the membership, and can restore it.
done-meeting-deleted = Meeting deleted. The customer's history keeps it, and can restore it.
done-program-meeting-deleted = Meeting deleted. You can restore it at the foot of this page.
done-version-deleted = Plan version deleted. The customer's history keeps it, and can restore it.
history-title = History
history-older = Older changes
history-newest = Newest changes
history-intro = Who changed what and when, in this customer, its contacts and its contracts — those deleted included — and what its deleted meetings, plan drafts, interactions, relationship links and team members held. A deleted contact, contract, meeting, plan draft, interaction, link or team member — or the customer itself — can be restored from its line. 200 changes a page, newest first; imports of customers, contacts, revenue and contracts are recorded once for their whole file and are not listed here (a stakeholders file lists each contact it created or changed).
history-empty = No change recorded yet.
history-no-match = No change matches these filters (kind of record, person, dates, words).
history-restore = Restore
history-see-restored = See the restored customer
history-restored = restored
history-restored-interaction = restored
history-action-restore = restored
history-action-restore-interaction = restored
history-action-restore-meeting = restored
history-action-restore-plan-version = restored
done-interaction-restored = Interaction restored, with those who took part and still exist.
done-customer-restored = Customer restored from the history, with the contacts, revenue lines, candidate scores and subsidiaries it kept (what it named that is gone since left out; a key account comes back as one only for those who decide them, within its manager’s room).
done-contact-restored = Contact restored, with its stakeholder profile and, where they are still there, whom it reported to and who reported to it, its relationship links and its places in meetings and interactions.
done-meeting-restored = Meeting restored, with its minutes, evaluation and action items and those who took part and are still there.
deleted-program-meetings = Deleted program meetings
deleted-program-meetings-hint = The latest 50 deleted and not restored. Restoring one brings it back with its minutes, evaluation and action items, and the companies and people still there.
deleted-on = Deleted on
done-link-restored = Link restored (without its owner if they have left since).
done-member-restored = Team member restored, with their function and share of time.
history-when = When
history-who = Who
history-what = What
history-changes = Changes
history-system = Clef
history-entity-customer = Customer
history-entity-contact = Contact
history-entity-contract = Contract
history-entity-meeting = Meeting
history-entity-plan-version = Plan draft
history-entity-interaction = Interaction
history-entity-relationship-link = Relationship link
history-entity-account-team = Account team member
history-action-create = created
history-action-update = changed
history-action-delete = deleted
history-action-delete-meeting = deleted
history-action-delete-interaction = deleted
history-field = { $field }:

## Requests refused by a record's state
refused-business-units-full = Clef keeps at most { $max } business units: rename one that is no longer used rather than creating another.
refused-plan-frozen = { $status ->
    [approved] Version { $n } is approved and frozen: start a new version to change the plan.
    [archived] Version { $n } is archived and cannot change.
    [submitted] Version { $n } is submitted for approval: return it to draft to change it.
   *[other] Version { $n } is a draft.
}
refused-plan-wrong-state = Version { $n } is { $status ->
    [approved] approved
    [submitted] submitted
    [archived] archived
   *[other] a draft
}, so it cannot be { $doing ->
    [submitted] submitted
    [approved] approved
    [returned] returned to draft
   *[other] archived
}: only { $needs ->
    [approved] an approved
    [submitted] a submitted
   *[other] a draft
} version can.
refused-plan-not-key-account = { $name } is not a key account: select it as one before writing its plan.
refused-plan-still-open = Version { $n } is still { $status ->
    [submitted] submitted
   *[other] a draft
}: finish it before starting another.
refused-plan-started-meanwhile = Another version of this plan was started at the same moment: reload the plan.
refused-plan-only-draft-deleted = Version { $n } is { $status ->
    [approved] approved
    [submitted] submitted
    [archived] archived
   *[other] a draft
}: only a draft can be deleted.
refused-selection-already-key = { $name } is already a key account.
refused-selection-pending = { $name } already has a proposal waiting for a decision.
refused-selection-no-proposal = { $name } has no proposal waiting for a decision.
refused-selection-not-key = { $name } is not a key account.
busy-title = Busy for a moment
busy-text = The database is busy with a long piece of work (an import, a ranking): try again in a few seconds. Nothing was changed.
server-error-title = Something went wrong
server-error-text = The server could not do this, and recorded why. Go back and try again; if it happens again, tell your administrator the time it happened.
import-reason-stopped = the import stopped before its end
import-reason-busy = the database stayed busy with another long write; try again in a moment
import-stage-elsewhere = Running on another server of this Clef; its report shows here when it ends.
import-reason-key-accounts = the key accounts changed while the file was checked (a selection decision, or a key account given to another manager); nothing was imported: import the file again
import-reason-parents = a parent of the file’s customers was changed while the file was checked; nothing was imported: import the file again
import-reason-conflict = something the file refers to (a group, a parent customer, an owner, a business unit) was removed, or a customer of the file was added, while the file was imported; nothing was imported: import the file again
import-reason-server = the import failed on the server, which recorded why; try again, and tell your administrator if it fails again
colon = :
out-of-five = / 5
max-duration = at most { $duration }
month-1 = January { $year }
month-2 = February { $year }
month-3 = March { $year }
month-4 = April { $year }
month-5 = May { $year }
month-6 = June { $year }
month-7 = July { $year }
month-8 = August { $year }
month-9 = September { $year }
month-10 = October { $year }
month-11 = November { $year }
month-12 = December { $year }

## Built-in meeting formats' defaults
format-kam-meeting-led-by = The KAM
format-kam-meeting-participants = 3 to 5 people of the account team, rarely more than 10
format-commercial-seminar-led-by = The sales head of the business unit or region
format-commercial-seminar-participants = All KAMs of the business unit or region; sales and marketing directors, the CEO, executive sponsors
format-commercial-meeting-led-by = The program or sales director
format-commercial-meeting-participants = The KAMs; the CEO or marketing director in half of them; sponsors and guests in one in five
format-key-account-review-led-by = The account team
format-key-account-review-participants = The account team and the customer's team: a formal assessment meant to change things
format-advisory-board-led-by = The program director
format-advisory-board-participants = Several customer companies, fewer than 6 in two programs out of three
edit-colleague = Correct a colleague
confirm-delete-colleague = Delete the colleague { $name }?
refused-colleague-in-use = { $name } is in { $links } relationship link(s), { $teams } account team(s) and { $interactions } interaction(s), which would be lost with them: remove them first.
done-segmentation-deleted = Segmentation deleted. You can restore its settings at the foot of this list.
done-segmentation-restored = Segmentation restored, with its settings. It has no snapshot until it is applied again.
deleted-segmentations = Deleted segmentations
deleted-segmentations-hint = The latest 50 deleted and not restored. Restoring one brings back its name, scope and settings (criteria, weights, classes, tier rules); its snapshots went with it.
history-search-hint = Words of a name, of a value (as stored: amounts in cents; people by name) or of who made the change.
done-action-restored = Action item restored.
deleted-actions = Deleted action items
