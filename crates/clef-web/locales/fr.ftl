# Clef — français
skip-to-content = Aller au contenu
nav-main = Principal
nav-portfolio = Portefeuille
nav-api = API
language = Langue
sign-in = Se connecter
sign-out = Se déconnecter
sign-in-throttled = Trop d’échecs de connexion pour cet e-mail depuis cette adresse réseau. Attendez 15 minutes, puis réessayez.
sign-in-throttled-everywhere = Trop d’échecs de connexion pour cet e-mail depuis plusieurs endroits. Attendez 15 minutes, puis réessayez ; si ce n’était pas vous, prévenez un administrateur.
sign-in-failed = L’e-mail ou le mot de passe est incorrect, ou le compte est désactivé.
setup-title = Bienvenue dans Clef
setup-text = Créez le premier administrateur. Vous ajouterez les autres utilisateurs ensuite.
setup-submit = Créer l’administrateur
f-your-name = Votre nom
f-email = E-mail
f-password = Mot de passe
confirm-title = Confirmation
confirm-history = L’enregistrement supprimé reste dans l’historique.
delete = Supprimer
cancel = Annuler
edit = Modifier
save = Enregistrer
reload = Recharger la version actuelle
actions = Actions
portfolio-title = Portefeuille
new-customer = Nouveau client
edit-customer = Modifier le client
export-csv = Exporter en CSV
search = Rechercher
search-placeholder = Nom, ville, groupe ou identifiant légal
filter-rows = Chercher dans ce tableau
same-legal-id = Un autre client a le même identifiant légal, peut-être la même société saisie deux fois :
export-import-format = Les colonnes de l’import : le fichier peut être modifié puis réimporté.
export-figures = Exporter avec les chiffres (CSV)
export-figures-hint = La même liste avec le responsable et les chiffres de chaque client (CA et marge sur 12 mois, croissance, part de portefeuille, rang), à lire dans un tableur.
filter-none = Aucune ligne ne contient ces mots.
sort-hint = Trie le tableau par cette colonne (à nouveau : dans l’autre sens).
filter-count = Lignes affichées : {"{"}shown{"}"} sur {"{"}total{"}"}
apply-filters = Appliquer
all = Tous
customers-count = { $count ->
    [one] { $n } client
   *[other] { $n } clients
}
customers-count-more = plus de { $n } clients
showing = { $range } affichés
no-customers = Aucun client ne correspond à ces filtres.
no-customers-yet = Le portefeuille n’a encore aucun client.
import-a-file = Importer un fichier CSV
within-words = Aucun client, aucune ville, aucun groupe ne commence par « { $q } » : voici ceux dont un mot commence ainsi.
filters-not-applied = Les filtres ne sont appliqués qu’une fois corrigés.
list-of-group = Clients du groupe { $name }
list-all-groups = tous les groupes
list-of-parent = Filiales de { $name }
list-of-unknown-parent = Filiales d’un client qui n’existe pas (ou plus)
list-of-unknown-group = Clients d’un groupe qui n’existe pas (ou plus)
list-all-parents = tous les clients
page-past-the-end = Cette page est au-delà de la dernière page de la liste.
go-to-last-page = Aller à la dernière page
pages = Pages
previous = Précédente
next = Suivante
page-of = Page { $page }
form-has-errors = { $count ->
    [one] Un champ est à corriger.
   *[other] { $count } champs sont à corriger.
}
updated = Dernière modification
profile = Profil
group = Groupe
group-members = Clients de ce groupe
no-group = Ne fait pas partie d’un groupe.
parent = Entité mère
children = Filiales
revenue = Chiffre d’affaires
revenue-ttm = Chiffre d’affaires, 12 derniers mois
share-of-wallet = Part de portefeuille
no-revenue = Aucun chiffre d’affaires enregistré.
revenue-lines-csv = Lignes de chiffre d’affaires mensuelles en CSV
year = Année
margin = Marge
margin-rate = Taux de marge
contacts = Contacts
contact = Contact
new-contact = Nouveau contact
edit-contact = Modifier le contact
no-contacts = Aucun contact pour l’instant.
f-name = Nom
f-legal-id = Identifiant légal
f-country = Pays
f-region = Région
f-city = Ville
f-group = Groupe
f-parent-id = Entité mère
group-hint = Tapez un nom pour choisir parmi les groupes, ou un n° de groupe
parent-hint = Tapez un nom pour choisir parmi les clients, ou un n° client
f-business-unit = Business unit
f-industry = Métier client
f-segment = Segment stratégique
f-owner = Responsable
f-status = Statut
f-tier = Niveau de service
f-currency = Devise
f-wallet = Potentiel estimé (portefeuille d’achat)
f-threat = Menace de réduction
f-position = Position concurrentielle
f-satisfaction = Satisfaction (0–10)
f-notes = Notes
f-first-name = Prénom
f-last-name = Nom de famille
f-phone = Téléphone
f-job-title = Fonction
not-found-title = Introuvable
not-found-text = Cet enregistrement n’existe pas ou a été supprimé.
bad-address-text = Cette adresse ne mène à aucune page : un numéro ou une valeur qu’elle contient est illisible.
form-address-title = Pas une page
form-address-text = Cette adresse reçoit un formulaire : elle ne s’ouvre pas comme une page. Revenez à la page du formulaire et envoyez-le depuis celle-ci.
request-error-title = La demande n’a pas pu être traitée
unreadable-form-text = Le formulaire envoyé est illisible. Rouvrez sa page et envoyez le formulaire depuis celle-ci.
request-error-text = La demande n’a pas pu être traitée. Revenez en arrière et réessayez.
too-large-text = L’envoi dépasse les { $n } Mo que le serveur accepte. Envoyez moins à la fois (découpez le fichier à importer).
timeout-text = La demande n’a pas abouti en { $n } s et a été interrompue. Envoyez moins à la fois, ou réessayez.
conflict-title = Modifié par quelqu’un d’autre
conflict-text = Quelqu’un d’autre a modifié cet enregistrement depuis que vous l’avez ouvert. Votre saisie est conservée ci-dessous ; rechargez la version actuelle et appliquez à nouveau votre modification.
done-created = Client créé.
done-saved = Modifications enregistrées.
done-deleted = Client supprimé. Il reste dans l’historique, d’où il peut être restauré.
done-contact-saved = Contact enregistré.
done-contact-deleted = Contact supprimé. Il reste dans l’historique, d’où il peut être restauré.
conflict-delete-text = Quelqu’un d’autre a modifié cet enregistrement depuis que vous l’avez ouvert. Rien n’a été supprimé : consultez la version actuelle, puis supprimez-la à nouveau si vous le souhaitez toujours.
forbidden-title = Action non autorisée
forbidden-text = Votre rôle ne le permet pas. Adressez-vous à un directeur ou au responsable du compte.
confirm-delete-customer = Supprimer le client { $name }, avec ses contacts, son chiffre d’affaires, ses notes de candidat et ses liens d’agenda, et sa place aux réunions du programme ?
delete-customer-blocked = Le client { $name } ne peut pas être supprimé : son travail de compte clé et ses contrats seraient perdus avec lui.
delete-blocked-hint = Supprimez-les d’abord (depuis le plan de compte, les réunions, les relations et les contrats), ou conservez le client.
group-delete-blocked-hint = Rattachez d’abord ses clients à un autre groupe (depuis la modification de chaque client, ou par un import), ou conservez le groupe.
done-colleague-deleted = Collègue supprimé. Vous pouvez le restaurer au pied de cette liste.
done-colleague-restored = Collègue restauré.
colleague-restorable = Vous pourrez le restaurer au pied de la liste des collègues.
deleted-colleagues = Collègues supprimés
deleted-colleagues-hint = Les 50 derniers supprimés et non restaurés. En restaurer un fait revenir son nom, sa fonction, sa business unit et son e-mail ; il ne prenait part à rien quand il a été supprimé.
colleague-delete-blocked-hint = Retirez d’abord cette personne de ces relations, équipes et interactions, ou conservez-la.
delete-detaches-children = { $count ->
    [one] { $n } filiale n’aura plus d’entité mère.
   *[other] { $n } filiales n’auront plus d’entité mère.
}
dependent-plan-versions = { $count ->
    [one] { $n } version de plan de compte
   *[other] { $n } versions de plan de compte
}
dependent-meetings = { $count ->
    [one] { $n } réunion
   *[other] { $n } réunions
}
dependent-stakeholders = { $count ->
    [one] { $n } partie prenante
   *[other] { $n } parties prenantes
}
dependent-links = { $count ->
    [one] { $n } lien de relation
   *[other] { $n } liens de relation
}
dependent-interactions = { $count ->
    [one] { $n } interaction
   *[other] { $n } interactions
}
dependent-team-members = { $count ->
    [one] { $n } membre de l’équipe compte
   *[other] { $n } membres de l’équipe compte
}
dependent-contracts = { $count ->
    [one] { $n } contrat
   *[other] { $n } contrats
}
confirm-delete-contact = Supprimer le contact { $name } ? Son profil de partie prenante, ses liens relationnels et sa présence aux réunions et interactions partent avec lui ; l’historique les garde, d’où le contact peut être restauré avec eux.
role-admin = Administrateur
role-director = Directeur
role-kam = Responsable de comptes clés
role-account-manager = Chargé de clientèle
role-member = Membre d’équipe compte
role-sponsor = Sponsor exécutif
role-viewer = Lecteur
status-customer = Client
status-candidate = Candidat
status-key-account = Compte clé
status-deselected = Désélectionné
tier-gold = Or
tier-silver = Argent
tier-bronze = Bronze
scope-national = National
scope-regional = Régional
scope-global = Mondial
threat-none = Aucune
threat-low = Faible
threat-medium = Moyenne
threat-high = Forte
position-weak = Faible
position-average = Moyenne
position-strong = Forte
position-leader = Leader
err-required = Ce champ est obligatoire.
err-too-long = Cette valeur est trop longue.
err-control-chars = Cette valeur contient des caractères de contrôle.
err-invalid-email = Saisissez une adresse e-mail comme nom@exemple.fr.
err-invalid-country = Saisissez un code pays ISO à deux lettres, comme FR ou DE.
err-invalid-currency = Saisissez un code devise ISO 4217, comme EUR ou USD.
err-invalid-amount = Saisissez un montant comme 1234,50.
err-invalid-date = Saisissez une date au format AAAA-MM-JJ.
err-invalid-period = Saisissez un mois au format AAAA-MM.
err-invalid-choice = Choisissez l’une des valeurs proposées.
err-out-of-range = Cette valeur est hors limites.
err-out-of-range-between = Saisissez une valeur de { $lo } à { $hi }.
err-negative = Cette valeur ne peut pas être négative.
err-invalid-id = Saisissez un identifiant positif.
err-invalid-number = Saisissez un nombre entier.
err-unknown-reference = Cet enregistrement n’existe pas.
err-parent-cycle = Un client ne peut pas être sa propre entité mère, directement ou par d’autres entités.
err-parent-too-deep = Cette entité mère est sous plus de 1 000 niveaux d’entités mères : choisissez une entité plus haut dans son groupe.
err-invalid-phone = Un numéro de téléphone ne contient que des chiffres, des espaces et + - ( ) .
err-password-too-short = Le mot de passe doit comporter au moins 10 caractères.
err-margin-above-revenue = La marge ne peut pas dépasser le chiffre d’affaires.
err-title-needs-kam = Seuls les responsables de comptes clés ont un titre.
err-invalid-sort = Cet ordre de tri n’existe pas.
err-not-yours = Vous ne pouvez attribuer des clients qu’à vous-même.
# Segmentation, sélection et programme
nav-segmentation = Segmentation
nav-selection = Sélection
nav-program = Programme
back = Retour
create = Créer
saved = Enregistré.
date = Date
by = Par
why = Pourquoi
customer = Client
customers = Clients
title-key-account-manager = Responsable de comptes clés
title-large-account-manager = Responsable grands comptes
title-global-account-manager = Responsable de comptes globaux (GAM)
err-empty-axis = Donnez à cet axe au moins un critère pondéré.
err-too-many = Trop d’éléments.
err-over-capacity = Ce responsable est à pleine capacité : donnez une raison pour la dépasser.
err-manager-full = Ce responsable gère déjà autant de comptes clés que permis : choisissez un autre responsable.
err-not-a-kam = Choisissez un responsable de comptes clés actif.
err-not-a-sponsor = Choisissez un sponsor (rôle sponsor ou directeur).
err-sponsor-set = Ce compte a déjà un sponsor : gardez-le, ou demandez à un directeur du programme d’en nommer un autre.
err-invalid-key = Utilisez 1 à 40 lettres minuscules, chiffres ou tirets bas.
err-already-in-team = Cette personne fait déjà partie de l’équipe compte : modifiez plutôt sa ligne.
err-duplicate = Cette valeur est déjà utilisée.
err-stale = Quelqu’un d’autre a enregistré entre-temps ; rechargez pour voir sa version.
err-conflict = Cela ne correspond pas à l’état actuel de la fiche.
err-unavailable = Le résultat ne peut pas être calculé pour l’instant.
segmentations-title = Segmentations
segmentations-intro = Une segmentation pondère les chiffres et attributs des clients pour placer chacun dans une matrice (attractivité × notre position), donne les classes Pareto (ABC) et les niveaux de service. Bougez les poids et les seuils : les résultats suivent aussitôt.
no-segmentations = Aucune segmentation pour l’instant.
new-segmentation = Nouvelle segmentation
f-scope = Périmètre
f-scope-value = Business unit, région, pays ou responsable
scope-value-help = L’identifiant de la business unit ou du responsable, le nom de la région ou le code pays ; vide pour toute l’entreprise.
segscope-company = Toute l’entreprise
segscope-business-unit = Business unit
segscope-region = Région
segscope-country = Pays
segscope-owner = Portefeuille d’un responsable
export-customers = Clients CSV
export-matrix = Matrice CSV
export-abc = ABC CSV
apply-segmentation = Appliquer…
segmentation-saved = La segmentation est enregistrée.
segmentation-settings = Réglages
f-target-segments = Segments stratégiques visés (séparés par des virgules)
criteria = Critères
criteria-help = Poids de -100 à 100 (0 écarte le critère ; un poids négatif joue contre l’axe). Le centile répartit sur la matrice des montants très concentrés ; les échelles logarithmique et linéaire vont de la plus petite à la plus grande valeur.
criterion = Critère
axis = Axe
weight = Poids
scale = Échelle
axis-attractiveness = Attractivité
axis-position = Notre position
crit-revenue = Chiffre d’affaires (12 mois)
crit-margin = Marge (12 mois)
crit-wallet = Potentiel d’achat estimé
crit-potential = Potentiel non capté (potentiel − CA)
crit-growth = Croissance
crit-trend = Tendance sur 3 ans
crit-margin-rate = Taux de marge
crit-share-of-wallet = Part de portefeuille
crit-threat = Menace de réduction
crit-competitive-position = Position concurrentielle
crit-strategic-segment = Dans un segment stratégique visé
crit-satisfaction = Satisfaction
scale-percentile = Centile (rang)
scale-log = Logarithmique
scale-linear = Linéaire
abc-and-matrix = Classes ABC et matrice
abc-measure = ABC calculé sur
measure-revenue = Chiffre d’affaires
measure-margin = Marge
abc-cut-a = Classe A jusqu’à (% de la mesure)
abc-cut-b = Classe B jusqu’à (% de la mesure)
att-threshold-1 = Attractivité : faible → moyenne
att-threshold-2 = Attractivité : moyenne → forte
pos-threshold-1 = Position : faible → moyenne
pos-threshold-2 = Position : moyenne → forte
tier-rules = Règles des niveaux de service
tier-rules-help = Un client est Or s’il coche une case Or, sinon Argent s’il coche une case Argent, sinon Bronze.
class = Classe
posture-develop = Développer
posture-build = Construire la position
posture-maintain = Maintenir
posture-optimise = Optimiser le coût de service
posture-reduce = Réduire
whatif-not-saved = Les résultats montrent les réglages à l’écran ; enregistrez pour les garder.
whatif-invalid = Ces réglages ne peuvent pas être calculés :
matrix = Matrice
matrix-caption = Clients, chiffre d’affaires et posture recommandée par case
level-low = Faible
level-medium = Moyenne
level-high = Forte
pareto-title = Courbe de Pareto
measure = Mesure
share = Part
service-tiers = Niveaux de service
movers-csv = Télécharger tous les clients qui changeraient avec ces réglages (CSV)
movers = Clients qui changeraient de place
meetings-search = Mots du titre
movers-largest = { $count ->
    [one] Celui au plus fort chiffre d’affaires est listé.
   *[other] Les { $n } aux plus forts chiffres d’affaires sont listés.
}
movers-vs-snapshot = Par rapport à l’instantané n° { $id }
movers-vs-tiers = Par rapport aux niveaux actuels
cell = Case
snapshots = Instantanés
no-snapshots = Pas encore appliquée : appliquer enregistre un instantané daté et fixe les niveaux de service.
snapshots-newest = { $count ->
    [one] L’instantané le plus récent est listé.
   *[other] Les { $n } instantanés les plus récents sont listés.
}
snapshots-all = { $count ->
    [one] L’instantané
   *[other] Les { $n } instantanés
}
applied-at = Appliquée le
tiers-changed = Niveaux changés
compare = Comparer
compare-from = Avant
compare-to = Après
compare-title = Comparaison de deux instantanés
compare-choose-two = Choisissez deux instantanés à comparer.
moved = Ont bougé
entered = Entrés dans le périmètre
left = Sortis du périmètre
class-moves = Changements de classe
tier-moves = Changements de niveau
no-movers = Personne n’a bougé.
apply-confirm = Appliquer « { $name } » maintenant ?
apply-tier-changes = { $count ->
    [one] { $n } client change de niveau de service
   *[other] { $n } clients changent de niveau de service
}
apply-history = Un instantané daté est enregistré ; les changements de niveau sont dans l’historique.
applying-title = Application d’une segmentation
applying-heading = Application de « { $name } »
apply-stage-elsewhere = En cours d’application par un autre serveur Clef partageant la base : cette page le suit jusqu’à la fin.
apply-stage-start = Préparation des placements…
apply-stage-placements = { $count ->
    [one] Enregistrement du placement de { $count } client dans l’instantané…
   *[other] Enregistrement des placements de { $count } clients dans l’instantané…
}
apply-stage-tiers = { $count ->
    [one] Attribution du nouveau niveau de service à { $count } client…
   *[other] Attribution du nouveau niveau de service à { $count } clients…
}
applying-note = Cette page suit le travail d’elle-même et ouvre la segmentation dès que l’instantané est enregistré. Vous pouvez la quitter : le travail continue.
applying-refresh = Actualiser maintenant
apply-failed-title = La segmentation n’a pas été appliquée
apply-failed = Rien n’a été modifié : { $reason }
apply-reason-server = le travail s’est arrêté sur une erreur consignée dans le journal du serveur
apply-reason-other = la segmentation n’a pas pu être appliquée (elle a pu être modifiée ou supprimée entre-temps) ; ouvrez-la et appliquez-la à nouveau
delete-segmentation-confirm = Supprimer la segmentation « { $name } » et ses instantanés ?
delete-segmentation-history = { $count ->
    [0] Ses réglages pourront être restaurés au pied de la liste des segmentations. Elle n’a jamais été appliquée : aucun niveau de service de client n’en vient.
    [one] Ses réglages pourront être restaurés au pied de la liste des segmentations ; son instantané (les niveaux de service donnés quand elle a été appliquée) part avec elle, sans retour possible. Les clients gardent leur niveau.
   *[other] Ses réglages pourront être restaurés au pied de la liste des segmentations ; ses { $n } instantanés (les niveaux de service donnés à chaque application) partent avec elle, sans retour possible. Les clients gardent leur niveau.
}
selection-title = Sélection des comptes clés
selection-intro = Chaque candidat est noté de 1 à 5 sur chaque critère de la grille, avec ses preuves. Une proposition est approuvée ou refusée par un directeur ou le sponsor du compte ; désélectionner demande une raison.
candidates = Candidats
no-candidates = Aucun candidat. Donnez à un client le statut Candidat, ou proposez-le depuis sa page de sélection.
grid-score = Note
criteria-scored = Critères notés
pending-decision = En attente de décision
selection-grid = Grille des candidats
counts = Pris en compte
grid-scores = Notes sur la grille
score-1-5 = Note (1–5)
evidence = Preuves
decision = Décision
proposed-manager = Responsable de comptes clés
f-sponsor = Sponsor
decision-note = Note (facultative)
override-reason = Raison de dépasser la capacité
approve = Approuver
reject-reason = Pourquoi refuser
reject = Refuser
decision-by-director = Un directeur ou le sponsor du compte décide.
deselect-reason = Pourquoi désélectionner
deselect = Désélectionner
confirm-reject = Refuser la proposition de { $name } comme compte clé ?
confirm-deselect = Sortir { $name } du programme des comptes clés ? Son plan, son équipe et ses réunions restent, son sponsor est libéré ; il pourra être proposé de nouveau.
confirm-decision-history = La décision, qui l’a prise et pourquoi restent dans l’historique de la sélection.
confirm-why = Pourquoi
is-key-account = Ce client est un compte clé.
propose-reason = Pourquoi ce client devrait être un compte clé
propose = Proposer comme compte clé
decision-history = Historique
no-decisions = Aucune décision pour l’instant.
decision-proposed = Proposé
decision-approved = Approuvé
decision-rejected = Refusé
decision-deselected = Désélectionné
program-title = Programme comptes clés
manager-loads = Charge des responsables
capacity-rule = Un responsable de comptes clés (KAM) gère au plus 3 comptes clés ; un responsable grands comptes de 5 à 10.
no-managers = Aucun responsable de comptes clés pour l’instant.
f-title = Titre
key-accounts = Comptes clés
capacity = Capacité
load = Charge
load-under = Sous la fourchette
load-within = Dans la fourchette
load-full = Complet
load-over = Au-delà de la capacité
pending-proposals = Propositions en attente de décision
no-pending = Aucune.
recent-decisions = Décisions récentes
decisions-latest = { $count ->
    [one] La dernière est listée ; le CSV les contient toutes.
   *[other] Les { $n } dernières sont listées ; le CSV les contient toutes.
}
all-decisions-csv = Toutes les décisions (CSV)
portfolio-figures = Chiffres du portefeuille
revenue-12m = CA 12 mois
revenue-prev-12m = CA des 12 mois précédents
growth = Croissance
trend-3y = Tendance sur 3 ans
margin-12m = Marge 12 mois
revenue-rank = Rang par CA
cumulative-share = Part cumulée du CA
ranks-pending = en cours de mise à jour
err-use-selection = Passez par la page de sélection : elle garde qui a décidé, quand et pourquoi.
computing = Calcul en cours…
# Plans de compte
nav-plans = Plans
nav-my-actions = Mes actions
plans-title = Plans de compte clé
plans-search = Chercher dans les plans
plans-search-hint = des mots de n’importe quelle partie : achats, SWOT, notes…
plans-hits = { $count ->
    [0] Aucun résultat
    [one] Un résultat
   *[other] { $n } résultats
}
plans-no-hit = Rien dans les plans que vous voyez ne contient ces mots.
plans-count = { $count ->
    [one] { $n } compte
   *[other] { $n } comptes
}
plans-no-match = Aucun compte n’a de plan dans cet état avec ce responsable.
plans-empty = Pas encore de compte clé, ou aucun dont vous voyez le plan.
plan-title = Plan de compte
plan-version = version
plan-none = Pas encore de plan
plan-in-force = En vigueur
plan-completeness = Complétude
plan-updated = Dernière modification
plan-empty = Ce compte clé n’a pas encore de plan.
plan-not-key-account = Seuls les comptes clés ont un plan : sélectionnez d’abord ce client comme compte clé.
plan-first-year = Première année
plan-year-default = par défaut
plan-bad-year = Saisissez une année de 2000 à 2100, ou laissez vide.
plan-create = Commencer le plan
plan-next-version = Commencer la version suivante
plan-compare = Comparer
plan-compare-from = De
plan-compare-to = à
plan-changes = { $count ->
    [0] Aucun champ ne diffère.
    [one] Un champ diffère.
   *[other] { $n } champs diffèrent.
}
plan-field = Champ
plan-submit = Soumettre pour approbation
plan-return = Renvoyer en brouillon
plan-return-note = Pourquoi
plan-returned = Renvoyé en brouillon :
plan-archive = Archiver
plan-frozen = Approuvé et figé : commencez la version suivante pour le modifier. Approuvé le
plan-documents = Documents
plan-vs-actual = Plan d’affaires : objectifs et réalisé
plan-nothing-yet = Rien pour l’instant.
plan-follow-up = Suivi
plan-missing = (vide)
plan-fix-fields = Le plan n’a pas été enregistré ; corrigez ces champs :
plan-sections = Parties
plan-remove-row = Retirer cette ligne
plan-add-rows = Plus de lignes
plan-cannot-title = Impossible
plan-cannot-submit = Le plan ne peut pas encore être soumis :
plan-cannot-return = Le plan ne peut pas être renvoyé en brouillon :
plan-archive-confirm = Archiver ce plan ? Un plan archivé ne peut plus être modifié ni rétabli, et ses actions ne sont plus suivies. Le plan et son historique restent consultables.
plan-confirm-delete = Supprimer le brouillon { $name } ? Son contenu reste dans l’historique, d’où le brouillon peut être restauré.
plan-done-saved = Plan enregistré.
plan-done-restored = Brouillon restauré depuis l’historique, avec son contenu, comme version la plus récente du plan.
plan-done-submit = Soumis pour approbation.
plan-done-approve = Approuvé : cette version est désormais le plan en vigueur, et elle est figée.
plan-done-return = Renvoyé en brouillon.
plan-done-archive = Archivé.
plan-status-draft = Brouillon
plan-status-submitted = Soumis
plan-status-approved = Approuvé
plan-status-archived = Archivé
plan-stage-transactional = Transactionnelle
plan-stage-collaborative = Collaborative
plan-stage-partnership = Partenariat
plan-swot-strength = Force
plan-swot-weakness = Faiblesse
plan-swot-opportunity = Opportunité
plan-swot-threat = Menace
plan-initiative-planned = Prévue
plan-initiative-validated = Validée
plan-initiative-in-progress = En cours
plan-initiative-done = Terminée
plan-initiative-dropped = Abandonnée
plan-action-open = À faire
plan-action-in-progress = En cours
plan-action-done = Faite
plan-action-cancelled = Annulée
plan-project-idea = Idée
plan-project-running = En cours
plan-project-delivered = Livré
plan-project-stopped = Arrêté
plan-s-direction = Objectif et vision
plan-s-knowledge = Connaissance du compte
plan-s-swot = SWOT
plan-s-notes = Notes des collègues
plan-s-initiatives = Initiatives stratégiques
plan-s-actions = Actions
plan-s-risks = Risques
plan-s-levers = Leviers
plan-s-people = Ressources : personnes
plan-s-logistics = Ressources : logistique
plan-s-budget = Ressources : budget
plan-s-targets = Plan d’affaires à 3 ans
plan-s-projects = Projets de co-création de valeur
plan-s-customer = Pour le client
plan-s-executives = Pour notre direction
plan-f-objective = Objectif stratégique (une phrase)
plan-f-vision = Vision
plan-f-stage = Stade de la relation
plan-f-organisation = Organisation
plan-f-strategy = Stratégie
plan-f-market = Marché
plan-f-purchasing = Processus d’achat
plan-f-history = Historique
plan-f-financial = Synthèse financière
plan-f-kind = Type
plan-f-text = Texte
plan-f-evidence = Preuve
plan-f-source = Source
plan-f-author = De
plan-f-date = Date
plan-f-title = Titre
plan-f-rationale = Justification
plan-f-expected_value_cents = Valeur attendue
plan-f-owner_id = Responsable
plan-f-status = Statut
plan-f-joint = Menée avec le client
plan-f-validated_by = Validée par
plan-f-validated_on = Validée le
plan-f-initiative = Initiative
plan-f-start = Début
plan-f-due = Échéance
plan-f-probability = Probabilité (1–5)
plan-f-impact = Impact (1–5)
plan-f-mitigation = Parade
plan-f-description = Description
plan-f-name = Nom
plan-f-user_id = Utilisateur Clef
plan-f-role = Rôle
plan-f-share_pct = Part du temps (%)
plan-f-logistics = Logistique
plan-f-label = Ligne budgétaire
plan-f-year = Année
plan-f-amount_cents = Montant
plan-f-revenue_cents = Objectif de chiffre d’affaires
plan-f-margin_cents = Objectif de marge
plan-f-share_of_wallet_pct = Objectif de part de portefeuille (%)
plan-f-value = Valeur pour le client
plan-f-shared_goals = Objectifs partagés
plan-f-value_delivered = Valeur apportée
plan-f-asks = Ce que nous demandons à notre direction
my-actions = Mes actions
my-actions-all = Montrer aussi les actions faites et annulées
my-actions-open = Ne montrer que les actions ouvertes
my-actions-empty = Aucune action à votre nom dans les plans.
actions-count = { $count ->
    [one] Une action.
   *[other] { $n } actions, celles en retard d’abord, puis par échéance.
}
actions-count-sorted = { $count ->
    [one] Une action.
   *[other] { $n } actions.
}
my-actions-search-hint = Des mots de l’action, ou de son client ou de sa réunion.
my-actions-no-match = Aucune action ne correspond à cette recherche.
overdue = En retard
yes = Oui
no = Non
doc-executive-summary = Synthèse pour la direction
doc-customer-brief = Note aux dirigeants du client
doc-key-figures = Chiffres clés
doc-target-revenue = Objectif de CA
doc-actual-revenue = CA réalisé
doc-target-margin = Objectif de marge
doc-actual-margin = Marge réalisée
doc-target-sow = Objectif de part de portefeuille
doc-actual-sow = Part de portefeuille
doc-main-risks = Principaux risques
doc-joint-initiatives = Initiatives communes
doc-next-steps = Prochaines étapes
doc-internal = Interne et confidentiel : ne pas transmettre au client.
doc-back = Retour au plan
err-objective-required = Écrivez l’objectif stratégique, en une phrase, avant de soumettre.
err-one-sentence = L’objectif stratégique tient en une seule phrase : reportez le reste dans la vision.
err-due-before-start = L’échéance ne peut pas précéder la date de début.
err-unknown-initiative = Choisissez une initiative de ce plan.
err-other-plan = Les deux versions doivent appartenir au même plan.
err-other-customer = Cela appartient à un autre client : choisissez un interlocuteur de ce client.
err-invalid-body = Le corps de la requête n’a pas la forme attendue.
doc-objective = Objectif stratégique
# Relations
relationships-title = Relations
add = Ajouter
add-colleague = Ajouter un collègue
add-contact = Ajouter un contact
add-link = Ajouter le lien
add-member = Ajouter à l’équipe
attitude-unknown = Attitude inconnue
colleague = collègue
colleagues-title = Collègues
colleagues-intro = Nos collègues qui n’utilisent pas Clef : ils peuvent être reliés aux interlocuteurs des clients et faire partie des équipes compte.
coverage-count = { $count ->
    [one] { $n } personne à couvrir
   *[other] { $n } personnes à couvrir
}
coverage-no-match = Personne ne correspond à cette recherche et à ce type de lacune.
coverage-search = Client ou personne
only-without-sponsor = Seulement ceux sans sponsor
sponsorship-no-match = Aucun compte clé ne correspond à cette recherche.
colleagues-count = { $count ->
    [one] { $n } collègue
   *[other] { $n } collègues
}
colleagues-no-match = Aucun collègue ne correspond à cette recherche.
colleagues-none = Pas encore de collègue.
line = Ligne
column = Colonne
reason = Motif
confirm-remove = Retirer cette ligne ? Elle reste dans l’historique.
coverage-title = Couverture
coverage-portfolio = Couverture relationnelle des comptes clés
coverage-gaps = Manques
coverage-none = Aucun manque de couverture.
coverage-partial = L’attitude et l’influence sont réservées à l’équipe compte : seuls les contacts non rencontrés apparaissent ici.
coverage-rules = Signalés : décideurs et influenceurs d’influence 4 ou 5 sans lien de force 3 ou plus ; contacts non rencontrés depuis plus de { $days } jours ; opposants sans action prévue.
gap-uncovered-influential = Influent, sans lien fort
gap-not-met = Pas rencontré récemment
gap-opponent-without-action = Opposant, sans action prévue
never = jamais
dedicated = Dédié
shared = Partagé
dedicated-or-shared = Dédié ou partagé
download-svg = Télécharger la carte (SVG)
f-attitude = Attitude
f-buying-role = Rôle dans la décision
f-coverage-days = Jours sans contact avant alerte
f-date = Date
f-frequency = Fréquence habituelle
f-function = Fonction
f-kind = Type
f-level = Niveau
f-link-owner = Responsable du lien
f-next-action = Action prévue
f-next-action-on = Prévue le
f-reports-to = Rend compte à
f-sponsor-limit = Comptes clés par sponsor, au plus
f-strength = Force (1–5)
f-subject = Objet
import = Importer
import-csv = Importer un fichier CSV
import-done = { $count ->
    [0] Aucune ligne importée.
    [one] Une ligne importée.
   *[other] { $n } lignes importées.
}
import-rejected = { $count ->
    [one] Rien n’a été importé : un problème.
   *[other] Rien n’a été importé : { $n } problèmes.
}
import-hint = Collez le fichier, ligne d’en-tête comprise ; les colonnes sont celles de l’export. Toutes les lignes sont écrites, ou aucune.
import-paste = Le texte CSV
import-what = Quoi
influence = Influence
children-more = Les 100 premières filiales sont listées, par nom.
children-all = Les filiales dans la liste du portefeuille (filtres, tri, CSV)
interactions-more = Les 20 interactions les plus récentes sont affichées ; la liste de toutes les interactions contient les autres.
interactions-all = Toutes les interactions (recherche, tri, pages)
interactions-search = Objet ou personne
interactions-no-match = Aucune interaction ne correspond à cette recherche et à ce type.
interactions-count = { $count ->
    [one] { $n } interaction
   *[other] { $n } interactions
}
interactions-none = Aucune interaction enregistrée.
interactions-title = Interactions
sponsor-last = dernier
sponsor-next = prochain
last-contact = Dernier contact
last-interaction = Dernière interaction
links-none = Aucun de nos collaborateurs n’est encore relié aux interlocuteurs de ce client.
links-title = Nos liens
map-heading = Carte des parties prenantes
map-links = nos liens (force)
map-title = Carte des parties prenantes de { $name }
no-key-accounts = Pas encore de compte clé.
no-sponsor = Sans sponsor
our-people = Nos collaborateurs
our-person = Notre collaborateur
over-allocated = Plus de 100 %
planned = prévue
record-interaction = Enregistrer l’interaction
remove = Retirer
settings = Réglages
share-here = Part du temps ici
share-total = Part sur tous les comptes
sponsor-limit-is = la limite est { $n }
sponsor-over = { $count ->
    [one] parraine un compte clé, au-delà de la limite
   *[other] parraine { $n } comptes clés, au-delà de la limite
}
sponsor-over-short = au-delà de la limite
sponsors = Sponsors exécutifs
no-sponsors = Aucun sponsor exécutif pour l’instant : un administrateur donne le rôle de sponsor aux membres du comité de direction.
sponsorship-matrix = Sponsors × comptes clés
sponsorship-title = Plan de parrainage
stakeholder-profile = Profil de partie prenante
stakeholders = Parties prenantes
team-none = Pas encore de membre.
team-title = Équipe compte
their-people = Leurs interlocuteurs
their-person = Leur interlocuteur
without-sponsor = { $count ->
    [0] Chaque compte clé a un sponsor exécutif.
    [one] Un compte clé n’a pas de sponsor exécutif.
   *[other] { $n } comptes clés n’ont pas de sponsor exécutif.
}
buying-role-decision-maker = Décideur
buying-role-influencer = Influenceur
buying-role-buyer = Acheteur
buying-role-user = Utilisateur
buying-role-gatekeeper = Filtre
level-executive = Direction
level-management = Encadrement
level-operational = Opérationnel
attitude-champion = Champion
attitude-supporter = Soutien
attitude-neutral = Neutre
attitude-sceptic = Sceptique
attitude-opponent = Opposant
frequency-weekly = Chaque semaine
frequency-monthly = Chaque mois
frequency-quarterly = Chaque trimestre
frequency-yearly = Chaque année
frequency-ad-hoc = Au besoin
interaction-meeting = Réunion
interaction-call = Appel
interaction-email = Courriel
interaction-visit = Visite
interaction-event = Événement
team-function-sales = Commercial
team-function-logistics = Logistique
team-function-marketing = Marketing
team-function-production = Production
team-function-finance = Finance et contrôle de gestion
team-function-quality = Qualité
team-function-customer-service = Service client
team-function-engineering = Bureau d’études
team-function-other = Autre
err-reports-to-cycle = Cela ferait une boucle : quelqu’un finirait par rendre compte à lui-même.
err-one-of = Choisissez exactement une personne.
# Réunions
meetings-title = Réunions
program-meetings-title = Réunions du programme
meeting = Réunion
action-items = Actions décidées
agenda = Ordre du jour
minutes = Compte rendu
decisions = Décisions
at-time = Heure
cadence-kept = Cadence tenue
cadence-min = Réunions par an, au moins
cadence-max = Réunions par an, au plus
cadence-overview = Cadence
calendar-title = Agendas
calendar-intro = Abonnez n’importe quel agenda à ces adresses ; elles ne demandent pas de mot de passe : gardez-les pour vous, et révoquez celle qui aurait fuité.
comment = Commentaire
companies = Entreprises clientes
confirm-revoke = Révoquer cet agenda ? Son adresse cessera de fonctionner.
created = Créé le
download-ics = Ajouter à mon agenda (.ics)
duration-minutes = Durée (minutes)
evaluation = Évaluation
evaluation-saved = Évaluation enregistrée.
external = Externe
internal = Interne
feed = Agenda
feed-account-create = Créer l’agenda du compte
feed-created = L’adresse de votre nouvel agenda (affichée une seule fois) :
feed-mine = Mes réunions
feed-mine-create = Créer mon agenda
format = Format
format-default = Le premier objectif du format
format-key = Clé (lettres, chiffres, _)
formats-intro = Les cinq formats de la pratique, préremplis avec ce que font 38 programmes de comptes clés ; adaptez-les à votre pratique, ou ajoutez les vôtres.
formats-title = Formats de réunion
from-meetings = Issues des réunions
from-plans = Issues des plans de compte
held-12m = Tenues sur 12 mois / plage
how-many = Combien sur les 12 prochains mois
last-held = Dernière tenue
led-by = Animée par
location = Lieu
max-minutes = Durée maximale (minutes)
meeting-record = Fiche
meetings-list = Toutes les réunions
name-en = Nom (anglais)
name-fr = Nom (français)
new-feed = Nouvel agenda
new-format = Ajouter un format
next-meeting = Prochaine
no-action-items = Aucune action.
no-feeds = Pas encore d’agenda.
no-meetings = Pas encore de réunion.
no-meetings-here = Aucune réunion dans cette vue.
meetings-when = Afficher
meetings-when-all = Toutes les réunions
meetings-when-upcoming = À venir (dès aujourd’hui)
meetings-when-past = Passées
meetings-count = { $count ->
    [one] { $n } réunion
   *[other] { $n } réunions
}
objective-met = Objectif atteint (1–5)
objectives = Objectifs
one-meeting-hint = vide : cette seule réunion
online = En ligne
past-due = { $count ->
    [0] aucune date passée non tenue
    [one] une date passée non tenue
   *[other] { $n } dates passées non tenues
}
per-year = an
plan-action-link = Suit l’action du plan
plan-year = Planifier l’année
plan-year-button = Planifier
planned-ahead = Prévues
primary-objective = Objectif principal
revoke = Révoquer
satisfaction = Satisfaction (1–5)
save-evaluation = Enregistrer l’évaluation
scope = Tenue pour
secondary-objectives = Autres objectifs
start-on = À partir du
usual = habituelle
usual-minutes = Durée habituelle (minutes)
usual-participants = Participants habituels
year-calendar = L’année à venir
kept-below = En dessous de la plage
kept-within = Dans la plage
kept-above = Au-dessus de la plage
meeting-status-planned = Prévue
meeting-status-held = Tenue
meeting-status-cancelled = Annulée
scope-account = Un compte
scope-program = Le programme
objective-increase-trust = Accroître la confiance du client
objective-co-innovate = (Co-)innover
objective-new-business = Identifier de nouvelles affaires
objective-cross-performance = Revoir la performance croisée
objective-relationship-processes = Améliorer les processus relationnels
objective-train-kams = Former les responsables de comptes
objective-field-information = Partager l’information terrain
objective-evaluate-progress = Évaluer les progrès
objective-team-cohesion = Cohésion d’équipe
objective-planning = Planification
confirm-delete-meeting = Supprimer la réunion « { $name } » ? L’historique en garde une copie ; la réunion d’un compte peut être restaurée depuis l’historique de son client, une réunion du programme depuis la page des réunions du programme.
confirm-delete-held-meeting = « { $name } » a été tenue : son compte rendu, ses décisions et son évaluation partiront avec elle. La supprimer ? L’historique en garde une copie, d’où la réunion d’un compte peut être restaurée (depuis l’historique de son client), ou une réunion du programme (depuis la page des réunions du programme).
err-objective-missing = Choisissez l’objectif principal : à quoi sert cette réunion ?
err-too-long-meeting = C’est plus long que ce que permet le format.
err-clash = Quelqu’un est déjà dans une autre réunion à cette heure-là.
err-invalid-time = Saisissez une heure comme 09:30.
err-not-working-day = Choisissez un jour ouvré.
err-program-format = Ce format concerne tout le programme, pas un compte.
err-held-in-future = Une réunion à venir ne peut pas encore avoir été tenue.
not-planned = Non planifiée
err-viewer-owner = Un lecteur ne peut pas en être responsable : choisissez quelqu’un qui peut agir.
err-cannot-own = Cet utilisateur ne peut pas être responsable de clients : choisissez un responsable de comptes clés, un chargé de clientèle, un directeur ou un administrateur.
accounts-cadence = Comptes clés : réunions tenues sur 12 mois / plage

## Contrats et renouvellements
nav-renewals = Renouvellements
renewals-title = Renouvellements de contrats
renewals-intro = Les contrats par date limite de décision (la date de renouvellement moins le préavis), les plus proches d’abord, avec ceux dont la date est dépassée.
renewals-within = À décider sous { $days } jours, et dépassés
renewals-all = Tous les contrats
renewals-window = Décision
f-customer-name = Nom du client
contracts-count = { $count ->
    [one] { $n } contrat
   *[other] { $n } contrats
}
no-renewals = Aucun contrat n’est à décider sur cette période.
no-contracts-at-all = Aucun contrat enregistré : ajoutez-les depuis la page d’un client, ou importez-les.
no-renewals-match = Aucun contrat ne répond à ces filtres sur cette période.
renewals-search = Client, intitulé ou référence
renewals-search-hint = Le début du nom du client, ou d’un mot de l’intitulé ou de la référence du contrat.
decide-by = Décider au plus tard le
f-renews-on = Date de renouvellement
f-starts-on = Date de début
f-notice-days = Préavis (jours)
value-sort-hint = Trié par devise, puis par valeur dans chaque devise
f-annual-value = Valeur annuelle
f-auto-renew = Reconduction tacite
f-reference = Référence
contract = Contrat
contracts = Contrats
new-contract = Nouveau contrat
edit-contract = Modifier le contrat
no-contracts = Aucun contrat enregistré.
contract-form-hint = La date de renouvellement est celle où le contrat se renouvelle ou prend fin ; le préavis dit combien de jours avant il faut le dénoncer, ce qui fixe la date limite de décision. La valeur annuelle est dans la devise indiquée, celle du client par défaut.
confirm-delete-contract = Supprimer le contrat { $name } ?
done-contract-saved = Contrat enregistré.
done-contract-deleted = Contrat supprimé. Il reste dans l’historique, d’où il peut être restauré.
done-contract-restored = Contrat restauré, avec tous ses champs.
renewal-passed = Renouvellement dépassé
renewal-decide = À décider
renewal-notice-passed = Préavis dépassé
renewal-later = Plus tard
err-before-start = La date de renouvellement ne peut pas précéder la date de début.

## Importer depuis le navigateur
import-title = Importer un fichier CSV
import-intro = Des clients, des contacts, du chiffre d’affaires ou des contrats depuis un fichier CSV (UTF-8, la première ligne nommant les colonnes). Chaque ligne est d’abord vérifiée : si l’une est fausse, rien n’est importé et chaque problème est indiqué par ligne et colonne. Une ligne avec un id remplace cet enregistrement ; une ligne sans id en ajoute un.
import-kind = Contenu du fichier
import-kind-customers = Clients
import-kind-contacts = Contacts
import-kind-revenue = Lignes de chiffre d’affaires
import-kind-contracts = Contrats
import-file = Fichier CSV
import-limit = Fichiers jusqu’à { $mb } Mo ; les plus gros s’importent avec la commande clef import.
import-button = Importer
import-choose-again = Choisissez à nouveau le fichier : le navigateur ne le conserve pas.
import-check-button = Vérifier seulement
import-check-hint = « Vérifier seulement » lit et vérifie le fichier, puis indique combien d’enregistrements son import remplacerait et ajouterait ; rien n’est écrit.
import-checked = { $count ->
    [0] Le fichier ne contient aucune ligne : rien n’a été écrit.
    [one] Une ligne vérifiée : aucun problème. Rien n’a été écrit.
   *[other] { $n } lignes vérifiées : aucun problème. Rien n’a été écrit.
}
import-preview-intro = Importer ce fichier :
import-would-replace = { $count ->
    [0] ne remplacerait aucun enregistrement existant ;
    [one] remplacerait un enregistrement existant (une ligne avec un id remplace cet enregistrement ; une ligne de chiffre d’affaires, celle du même client, de la même unité et du même mois) ;
   *[other] remplacerait { $n } enregistrements existants (une ligne avec un id remplace cet enregistrement ; une ligne de chiffre d’affaires, celle du même client, de la même unité et du même mois) ;
}
import-would-add = { $count ->
    [0] n’ajouterait aucun enregistrement.
    [one] ajouterait un enregistrement.
   *[other] ajouterait { $n } enregistrements.
}
import-recent = Vos derniers imports
import-started = Lancé
import-outcome = Résultat
import-running = En cours…
import-check-next = Importer un fichier (choisissez-le à nouveau : le navigateur ne le conserve pas)
import-formats = Formats
import-formats-intro = Les colonnes de chaque contenu, dans l’ordre des exports ; un modèle vide ne contient que la première ligne.
import-columns = Colonnes
import-template = Modèle vide
import-stage-start = Démarrage…
import-stage-read = Lecture du fichier
import-stage-check = Vérification des lignes
import-stage-write = Écriture
import-stage-figures = Calcul des indicateurs du portefeuille
import-running-note = Cette page suit l’import d’elle-même ; l’import continue si vous la quittez.
import-failed = Rien n’a été importé : { $reason }.
import-first-problems = Les { $n } premiers sont listés ici.
import-problems = Problèmes du fichier
import-problems-csv = Télécharger les problèmes (CSV)
import-again = Importer un fichier
import-another = Importer un autre fichier
import-gone-title = Import introuvable
import-gone-text = Cet import n’est pas connu ici : il a pu être lancé sur un autre serveur, par quelqu’un d’autre, ou il y a trop longtemps.
err-no-file = Choisissez un fichier CSV à importer.
err-unreadable-upload = Le fichier n’a pas pu être reçu ; réessayez.
err-notice-out-of-range = Indiquez un préavis de 0 à 730 jours.
err-unreadable-header = La première ligne est illisible : elle doit nommer les colonnes, séparées par des virgules.
err-empty-file = Le fichier est vide : sa première ligne doit nommer les colonnes.
err-not-utf8 = Ce texte n’est pas en UTF-8 : enregistrez le fichier en CSV UTF-8 et importez-le à nouveau.
err-missing-columns = Des colonnes manquent : la première ligne doit nommer les colonnes du format (voir les modèles vides).
err-unknown-columns = La première ligne nomme des colonnes que ce format n’a pas (voir les modèles vides).
err-repeated-column = Cette colonne est nommée deux fois dans la première ligne.
err-unreadable-line = Cette ligne est illisible : un guillemet n’est pas fermé, ou elle a plus ou moins de valeurs que la première ligne.
err-invalid-boolean = Écrivez true ou false.
err-other-currency = Cette devise n’est pas celle du client : son chiffre d’affaires est suivi dans une seule devise.
err-kam-only = Seuls le KAM du compte et les directeurs peuvent modifier cela.

## Utilisateurs
nav-users = Utilisateurs
users-title = Utilisateurs
users-search-placeholder = Nom ou e-mail
users-count = { $count ->
    [one] { $n } utilisateur
   *[other] { $n } utilisateurs
}
users-of = { $count ->
    [one] sur { $n }
   *[other] sur { $n }
}
no-users = Aucun utilisateur ne correspond à ces filtres.
new-user = Nouvel utilisateur
edit-user = Modifier l’utilisateur
f-role = Rôle
f-kam-title = Titre (responsables de comptes clés)
kam-title-hint = Pour le rôle kam seulement ; laissé vide, un kam est responsable de comptes clés (3 comptes clés au plus).
f-account = Compte
f-password-again = Mot de passe, à nouveau
user-active = Actif
user-inactive = Désactivé
user-active-hint = Un utilisateur désactivé ne peut plus se connecter ni utiliser de jeton d’API ; ce qu’il a enregistré demeure.
user-email-fixed = L’e-mail identifie l’utilisateur et ne change pas.
user-locale-browser = Celle du navigateur
user-password-hint = Laissez les mots de passe vides pour garder l’actuel ; un nouveau déconnecte l’utilisateur partout.
done-user-created = Utilisateur créé.
done-user-saved = Utilisateur enregistré.
err-passwords-differ = Les deux mots de passe diffèrent : saisissez deux fois le même.
err-password-too-weak = Le mot de passe est trop facile à deviner : utilisez au moins 4 caractères différents.
err-last-admin = C’est le dernier administrateur actif : faites d’abord d’un autre utilisateur un administrateur.
err-own-account = Vous ne pouvez pas désactiver votre propre compte ; un autre administrateur le peut.

## Groupes de clients et business units
groups-title = Groupes de clients
groups-count = { $count ->
    [one] { $n } groupe
   *[other] { $n } groupes
}
no-groups = Aucun groupe ne correspond à cette recherche.
no-groups-yet = Aucun groupe de clients pour l’instant.
no-candidate-match = Aucun candidat dont le nom, ou un mot du nom, commence par cette recherche.
all-candidates = Tous les candidats
new-group = Nouveau groupe
edit-group = Modifier le groupe
group-customers = Clients
group-form-hint = Les imports nomment les groupes : deux groupes ne peuvent pas porter le même nom. Le pays est celui du groupe, pour un groupe national ou régional.
confirm-delete-group = Supprimer le groupe de clients { $name } ?
group-has-customers = { $count ->
    [one] { $n } client en fait encore partie : rattachez-le d’abord à un autre groupe, ou à aucun.
   *[other] { $n } clients en font encore partie : rattachez-les d’abord à un autre groupe, ou à aucun.
}
done-group-saved = Groupe enregistré.
done-group-deleted = Groupe supprimé. Vous pouvez le restaurer au pied de cette liste.
done-group-restored = Groupe restauré.
refused-group-name-taken = Un groupe de clients s’appelle maintenant « { $name } » : renommez-le, puis restaurez celui-ci.
group-restorable = Vous pourrez le restaurer au pied de la liste des groupes.
deleted-groups = Groupes supprimés
deleted-groups-hint = Les 50 derniers supprimés et non restaurés. En restaurer un fait revenir son nom, sa portée et son pays ; ses clients avaient été déplacés avant.
removed-on = Supprimé le
units-title = Business units
no-units = Aucune business unit pour l’instant.
new-unit = Nouvelle business unit
edit-unit = Renommer la business unit
f-code = Code
unit-code-fixed = Le code ne change pas : les fichiers de chiffre d’affaires le nomment.
done-unit-saved = Business unit enregistrée.
reference-links = Données de référence :
import-busy-title = Des imports sont en cours
import-busy-text = Deux imports sont déjà en cours sur ce serveur : lancez le vôtre quand l’un d’eux sera terminé.
err-upload-too-large = Ce fichier dépasse la taille acceptée par le serveur : découpez-le, ou importez-le avec la commande clef import.

## Historique
history-deleted = supprimé
done-interaction-deleted = Interaction supprimée. L’historique du client la garde et peut la restaurer.
done-link-deleted = Lien supprimé. L’historique du client le garde et peut le restaurer.
done-member-removed = Membre retiré de l’équipe. L’historique du client garde sa participation et peut la restaurer.
done-meeting-deleted = Réunion supprimée. L’historique du client la garde et peut la restaurer.
done-program-meeting-deleted = Réunion supprimée. Vous pouvez la restaurer au pied de cette page.
done-version-deleted = Version du plan supprimée. L’historique du client la garde et peut la restaurer.
edit-action-item = Corriger l’action
done-action-saved = Action enregistrée.
done-action-deleted = Action supprimée. Vous pouvez la restaurer sous les actions.
confirm-delete-action = Supprimer l’action « { $name } » ?
action-delete-history = Elle pourra être restaurée au pied des actions de la réunion.
history-from = Du
history-to = Au
see-history = Voir son historique
history-title = Historique
history-older = Modifications plus anciennes
history-newest = Modifications les plus récentes
history-intro = Qui a modifié quoi et quand, dans ce client, ses contacts et ses contrats — y compris ceux supprimés — et ce que contenaient ses réunions, brouillons de plan, interactions, liens relationnels et membres d’équipe supprimés. Un contact, un contrat, une réunion, un brouillon de plan, une interaction, un lien ou un membre d’équipe supprimés — ou le client lui-même — peuvent être restaurés depuis leur ligne. 200 modifications par page, les plus récentes d’abord ; les imports de clients, contacts, chiffre d’affaires et contrats, enregistrés une fois pour tout leur fichier, n’y figurent pas (un fichier de parties prenantes y inscrit chaque contact qu’il a créé ou changé).
history-no-match = Aucune modification ne répond à ces filtres (type d’enregistrement, personne, dates, mots).
history-restore = Restaurer
history-see-restored = Voir le client restauré
history-restored = restauré
history-restored-interaction = restaurée
history-action-restore = restauré
history-action-restore-interaction = restaurée
history-action-restore-meeting = restaurée
history-action-restore-plan-version = restaurée
done-interaction-restored = Interaction restaurée, avec ceux qui y ont pris part et existent encore.
done-customer-restored = Client restauré depuis l’historique, avec les contacts, le chiffre d’affaires, les notes de candidat et les filiales que l’historique gardait (sans ce qu’il nommait et qui n’existe plus ; un compte clé ne revient comme tel que pour ceux qui décident des comptes clés, dans la limite de son responsable).
done-contact-restored = Contact restauré, avec son profil de partie prenante et, là où ils existent encore, son supérieur et ceux qui lui rendaient compte, ses liens relationnels et sa place dans les réunions et les interactions.
done-meeting-restored = Réunion restaurée, avec son compte rendu, son évaluation, ses actions et ceux qui y ont pris part et existent encore.
deleted-program-meetings = Réunions du programme supprimées
deleted-program-meetings-hint = Les 50 dernières supprimées et non restaurées. En restaurer une la fait revenir avec son compte rendu, son évaluation et ses actions, et les entreprises et personnes encore là.
deleted-on = Supprimée le
done-link-restored = Lien restauré (sans son responsable s’il est parti depuis).
done-member-restored = Membre de l’équipe restauré, avec sa fonction et sa part de temps.
history-empty = Aucune modification enregistrée pour l’instant.
history-when = Quand
history-who = Qui
history-what = Quoi
history-changes = Modifications
history-system = Clef
history-entity-customer = Client
history-entity-contact = Contact
history-entity-contract = Contrat
history-entity-meeting = Réunion
history-entity-plan-version = Brouillon de plan
history-entity-interaction = Interaction
history-entity-relationship-link = Lien relationnel
history-entity-account-team = Membre de l’équipe du compte
history-action-create = créé
history-action-update = modifié
history-action-delete = supprimé
history-action-delete-meeting = supprimée
history-action-delete-interaction = supprimée
history-field = { $field } :

## Demandes refusées par l’état d’une fiche
refused-business-units-full = Clef conserve au plus { $max } business units : renommez-en une qui ne sert plus plutôt que d’en créer une autre.
refused-plan-frozen = { $status ->
    [approved] La version { $n } est approuvée et figée : commencez une nouvelle version pour modifier le plan.
    [archived] La version { $n } est archivée et ne peut plus changer.
    [submitted] La version { $n } est soumise pour approbation : remettez-la en brouillon pour la modifier.
   *[other] La version { $n } est un brouillon.
}
refused-plan-wrong-state = La version { $n } est { $status ->
    [approved] approuvée
    [submitted] soumise
    [archived] archivée
   *[other] en brouillon
} : elle ne peut donc pas être { $doing ->
    [submitted] soumise
    [approved] approuvée
    [returned] remise en brouillon
   *[other] archivée
} ; seule une version { $needs ->
    [approved] approuvée
    [submitted] soumise
   *[other] en brouillon
} peut l’être.
refused-plan-not-key-account = { $name } n’est pas un compte clé : sélectionnez-le comme compte clé avant d’écrire son plan.
refused-plan-still-open = La version { $n } est encore { $status ->
    [submitted] soumise
   *[other] en brouillon
} : terminez-la avant d’en commencer une autre.
refused-plan-started-meanwhile = Une autre version de ce plan a été commencée au même moment : rechargez le plan.
refused-plan-only-draft-deleted = La version { $n } est { $status ->
    [approved] approuvée
    [submitted] soumise
    [archived] archivée
   *[other] en brouillon
} : seul un brouillon peut être supprimé.
refused-selection-already-key = { $name } est déjà un compte clé.
refused-selection-pending = { $name } a déjà une proposition en attente de décision.
refused-selection-no-proposal = { $name } n’a pas de proposition en attente de décision.
refused-selection-not-key = { $name } n’est pas un compte clé.
busy-title = Un instant
busy-text = La base de données est occupée par un long travail (un import, un classement) : réessayez dans quelques secondes. Rien n’a été modifié.
server-error-title = Une erreur s’est produite
server-error-text = Le serveur n’a pas pu faire cela et en a noté la raison. Revenez en arrière et réessayez ; si cela se reproduit, indiquez l’heure à votre administrateur.
import-reason-stopped = l’import s’est arrêté avant la fin
import-reason-busy = la base de données est restée occupée par une autre longue écriture ; réessayez dans un instant
import-stage-elsewhere = En cours sur un autre serveur de ce Clef ; son rapport s’affiche ici à la fin.
import-reason-key-accounts = les comptes clés ont changé pendant la vérification du fichier (une décision de sélection, ou un compte clé confié à un autre responsable) ; rien n’a été importé : importez le fichier à nouveau
import-reason-parents = une entité mère des clients du fichier a été modifiée pendant la vérification du fichier ; rien n’a été importé : importez à nouveau le fichier
import-reason-conflict = un élément auquel le fichier fait référence (un groupe, un client parent, un responsable, une business unit) a été supprimé, ou un client du fichier a été ajouté, pendant l’import ; rien n’a été importé : importez le fichier à nouveau
import-reason-server = l’import a échoué sur le serveur, qui en a noté la raison ; réessayez, et prévenez votre administrateur si cela se reproduit
colon =  :
out-of-five = / 5
max-duration = au plus { $duration }
month-1 = janvier { $year }
month-2 = février { $year }
month-3 = mars { $year }
month-4 = avril { $year }
month-5 = mai { $year }
month-6 = juin { $year }
month-7 = juillet { $year }
month-8 = août { $year }
month-9 = septembre { $year }
month-10 = octobre { $year }
month-11 = novembre { $year }
month-12 = décembre { $year }

## Textes par défaut des formats de réunion
format-kam-meeting-led-by = Le KAM
format-kam-meeting-participants = 3 à 5 personnes de l’équipe compte, rarement plus de 10
format-commercial-seminar-led-by = Le responsable commercial de la business unit ou de la région
format-commercial-seminar-participants = Tous les KAM de la business unit ou de la région ; directeurs commercial et marketing, le PDG, les sponsors
format-commercial-meeting-led-by = Le directeur du programme ou le directeur commercial
format-commercial-meeting-participants = Les KAM ; le PDG ou le directeur marketing dans la moitié des cas ; sponsors et invités dans un cas sur cinq
format-key-account-review-led-by = L’équipe compte
format-key-account-review-participants = L’équipe compte et l’équipe du client : une évaluation formelle destinée à faire changer les choses
format-advisory-board-led-by = Le directeur du programme
format-advisory-board-participants = Plusieurs entreprises clientes, moins de 6 dans deux programmes sur trois
edit-colleague = Corriger un collègue
confirm-delete-colleague = Supprimer le collègue { $name } ?
refused-colleague-in-use = { $name } figure dans { $links } lien(s) de relation, { $teams } équipe(s) compte et { $interactions } interaction(s), qui disparaîtraient avec : retirez-les d’abord.
done-segmentation-deleted = Segmentation supprimée. Vous pouvez restaurer ses réglages au pied de cette liste.
done-segmentation-restored = Segmentation restaurée, avec ses réglages. Elle n’a aucun instantané tant qu’elle n’est pas appliquée de nouveau.
deleted-segmentations = Segmentations supprimées
deleted-segmentations-hint = Les 50 dernières supprimées et non restaurées. En restaurer une fait revenir son nom, son périmètre et ses réglages (critères, pondérations, classes, règles des niveaux de service) ; ses instantanés sont partis avec elle.
history-search-hint = Des mots d’un nom, d’une valeur (telle qu’enregistrée : montants en centimes ; personnes par leur nom) ou de qui a fait la modification.
done-action-restored = Action restaurée.
deleted-actions = Actions supprimées
