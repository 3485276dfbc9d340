<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_CA" sourcelanguage="en_CA">
<context>
    <name>App</name>
    <message>
        <source>Depot Station cannot start</source>
        <translation>Depot Station ne peut pas démarrer</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
</context>
<context>
    <name>BackupBar</name>
    <message>
        <source>Back up now…</source>
        <translation>Sauvegarder maintenant…</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Plus tard</translation>
    </message>
    <message>
        <source>Back up the log (Station &gt; Back up the log…, or `station log backup FOLDER`).</source>
        <translation>Sauvegardez le journal (Poste &gt; Sauvegarder le journal…, ou `station log backup FOLDER`).</translation>
    </message>
    <message>
        <source>The log has never been backed up.</source>
        <translation>Le journal n&apos;a jamais été sauvegardé.</translation>
    </message>
    <message numerus="yes">
        <source>The log was last backed up on {date} (%n day(s) ago).</source>
        <translation>
            <numerusform>La dernière sauvegarde du journal date du {date} (il y a %n jour).</numerusform>
            <numerusform>La dernière sauvegarde du journal date du {date} (il y a %n jours).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Checklist</name>
    <message>
        <source>PASS</source>
        <translation>RÉUSSI</translation>
    </message>
    <message>
        <source>FIXED</source>
        <translation>CORRIGÉ</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <source>N/A</source>
        <translation>S.&#xa0;O.</translation>
    </message>
    <message>
        <source>ACCOUNT LOCK</source>
        <translation>VERROUILLAGE PAR COMPTE</translation>
    </message>
    <message>
        <source>SIMULATED PHONE — not a real device</source>
        <translation>APPAREIL SIMULÉ — pas un véritable appareil</translation>
    </message>
    <message>
        <source>{name} (badge {badge}), PIN checked</source>
        <translation>{name} (insigne {badge}), NIP vérifié</translation>
    </message>
    <message>
        <source>no authenticated operator</source>
        <translation>aucun opérateur authentifié</translation>
    </message>
    <message>
        <source>Not sealed</source>
        <translation>Non scellé</translation>
    </message>
    <message>
        <source>Test Harness settings put back</source>
        <translation>paramètres du mode Test Harness rétablis</translation>
    </message>
    <message>
        <source>reset to its setup screens, awaiting enrolment</source>
        <translation>réinitialisé jusqu&apos;aux écrans de configuration, en attente d&apos;inscription</translation>
    </message>
    <message>
        <source>yes, at {time} UTC</source>
        <translation>oui, à {time} UTC</translation>
    </message>
    <message>
        <source>Sealed</source>
        <translation>Scellé</translation>
    </message>
    <message>
        <source>History of this phone in the depot:</source>
        <translation>Historique de cet appareil dans le dépôt&#xa0;:</translation>
    </message>
    <message>
        <source>History of this phone at this station:</source>
        <translation>Historique de cet appareil à ce poste&#xa0;:</translation>
    </message>
    <message>
        <source>earlier sessions not printed: {count}</source>
        <translation>séances antérieures non imprimées&#xa0;: {count}</translation>
    </message>
    <message>
        <source>steps and readings: {count}</source>
        <translation>étapes et lectures&#xa0;: {count}</translation>
    </message>
    <message>
        <source>no record of this phone</source>
        <translation>aucun enregistrement de cet appareil</translation>
    </message>
    <message>
        <source>only this station&apos;s records: the depot could not be reached ({error})</source>
        <translation>enregistrements de ce poste seulement&#xa0;: le dépôt est injoignable ({error})</translation>
    </message>
    <message>
        <source>SIGNED OFF BY OVERRIDE: {reason}</source>
        <translation>APPROUVÉ PAR DÉROGATION&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>SIGNED OFF: READY FOR HAND-OUT</source>
        <translation>APPROUVÉ&#xa0;: PRÊT POUR LA REMISE</translation>
    </message>
    <message>
        <source>SIGNED OFF</source>
        <translation>APPROUVÉ</translation>
    </message>
    <message>
        <source>NOT SIGNED OFF</source>
        <translation>NON APPROUVÉ</translation>
    </message>
    <message>
        <source>NOT SIGNED OFF: CHECKLIST NOT PASSED</source>
        <translation>NON APPROUVÉ&#xa0;: LISTE DE CONTRÔLE NON RÉUSSIE</translation>
    </message>
    <message>
        <source>action</source>
        <translation>action</translation>
    </message>
    <message>
        <source>advisory</source>
        <translation>recommandé</translation>
    </message>
    <message>
        <source>, security patch {patch}</source>
        <translation>, correctif de sécurité {patch}</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>Nom de l&apos;appareil</translation>
    </message>
    <message>
        <source>Serial / UDID</source>
        <translation>Numéro de série / UDID</translation>
    </message>
    <message>
        <source>Hardware serial</source>
        <translation>Numéro de série matériel</translation>
    </message>
    <message>
        <source>IMEI</source>
        <translation>IIEM</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>non communiqué</translation>
    </message>
    <message>
        <source>Asset tag</source>
        <translation>Étiquette de bien</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>non consigné</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>Système d&apos;exploitation</translation>
    </message>
    <message>
        <source>badge</source>
        <translation>insigne</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <source>Checklist run by</source>
        <translation>Liste de contrôle effectuée par</translation>
    </message>
    <message>
        <source>Checked at (UTC)</source>
        <translation>Vérifié le (UTC)</translation>
    </message>
    <message>
        <source>Signed off by</source>
        <translation>Approuvé par</translation>
    </message>
    <message>
        <source>Override approved by</source>
        <translation>Dérogation autorisée par</translation>
    </message>
    <message>
        <source>provision</source>
        <translation>mise en service</translation>
    </message>
    <message>
        <source>return</source>
        <translation>retour</translation>
    </message>
    <message>
        <source>Log record</source>
        <translation>Enregistrement du journal</translation>
    </message>
    <message>
        <source>station</source>
        <translation>poste</translation>
    </message>
    <message>
        <source>hash</source>
        <translation>empreinte</translation>
    </message>
    <message>
        <source>Ed25519 signature</source>
        <translation>signature Ed25519</translation>
    </message>
    <message>
        <source>Check it with `station log verify --record {seq}` or scan the QR code.</source>
        <translation>Vérifiez-le avec `station log verify --record {seq}` ou en lisant le code QR.</translation>
    </message>
    <message>
        <source>Phone compliance checklist</source>
        <translation>Liste de contrôle de conformité de l&apos;appareil mobile</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Policy and workflow</source>
        <translation>Politique et procédure</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>Liste de contrôle</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Constat</translation>
    </message>
    <message>
        <source>Who and when</source>
        <translation>Qui et quand</translation>
    </message>
    <message>
        <source>log record {seq}</source>
        <translation>enregistrement {seq} du journal</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Politique</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Policy file SHA-256</source>
        <translation>SHA-256 du fichier de politique</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>Procédure</translation>
    </message>
</context>
<context>
    <name>Depot</name>
    <message numerus="yes">
        <source>Depot {server}, station {name}: connected, %n record(s) waiting</source>
        <translation>
            <numerusform>Dépôt {server}, poste {name}&#xa0;: connecté, %n enregistrement en attente</numerusform>
            <numerusform>Dépôt {server}, poste {name}&#xa0;: connecté, %n enregistrements en attente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Depot {server}, station {name}: unreachable, %n record(s) waiting (kept here, pushed when it is back)</source>
        <translation>
            <numerusform>Dépôt {server}, poste {name}&#xa0;: injoignable, %n enregistrement en attente (conservé ici, envoyé à son retour)</numerusform>
            <numerusform>Dépôt {server}, poste {name}&#xa0;: injoignable, %n enregistrements en attente (conservés ici, envoyés à son retour)</numerusform>
        </translation>
    </message>
    <message>
        <source>Only this station&apos;s records: the depot cannot be reached.</source>
        <translation>Enregistrements de ce poste seulement&#xa0;: le dépôt est injoignable.</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Série</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>Numéro de série</translation>
    </message>
    <message>
        <source>IMEI</source>
        <translation>IIEM</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Security patch</source>
        <translation>Correctif de sécurité</translation>
    </message>
    <message>
        <source>Supervised</source>
        <translation>Supervisé</translation>
    </message>
    <message>
        <source>Account lock</source>
        <translation>Verrouillage par compte</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <source>Managed by</source>
        <translation>Géré par</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Étape</translation>
    </message>
    <message>
        <source>Battery</source>
        <translation>Batterie</translation>
    </message>
    <message>
        <source>Sealed</source>
        <translation>Scellé</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>App</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Constat</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Règle</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Point</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Constat</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Poste</translation>
    </message>
    <message>
        <source>{label}:</source>
        <translation>{label}&#xa0;:</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>Liste de contrôle</translation>
    </message>
    <message>
        <source>Installed apps</source>
        <translation>Applications installées</translation>
    </message>
    <message>
        <source>History ({count})</source>
        <translation>Historique ({count})</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Select a phone on the wall</source>
        <translation>Sélectionnez un appareil sur le mur</translation>
    </message>
    <message>
        <source>  (unplugged)</source>
        <translation>  (débranché)</translation>
    </message>
    <message>
        <source>iPhone, iOS {version}</source>
        <translation>iPhone, iOS {version}</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>, user {user}</source>
        <translation>, utilisateur {user}</translation>
    </message>
    <message>
        <source>Rule {rule}: {reason}
Source: {source}</source>
        <translation>Règle {rule}&#xa0;: {reason}
Source&#xa0;: {source}</translation>
    </message>
    <message>
        <source>BANNED</source>
        <translation>INTERDITE</translation>
    </message>
    <message>
        <source>Installed apps ({count})</source>
        <translation>Applications installées ({count})</translation>
    </message>
</context>
<context>
    <name>DeviceWall</name>
    <message>
        <source>No phones yet.
Plug one in: an Android phone with USB debugging on, or an unlocked iPhone.</source>
        <translation>Aucun appareil pour l&apos;instant.
Branchez-en un&#xa0;: un appareil Android avec le débogage USB activé, ou un iPhone déverrouillé.</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>6 to 12 digits</source>
        <translation>6 à 12 chiffres</translation>
    </message>
    <message>
        <source>4 to 12 digits</source>
        <translation>4 à 12 chiffres</translation>
    </message>
</context>
<context>
    <name>Evidence</name>
    <message>
        <source>banned apps installed: {names}</source>
        <translation>applications interdites installées&#xa0;: {names}</translation>
    </message>
    <message>
        <source>the apps of user {users} could not be listed (the phone refuses the shell a Secure Folder or work profile): no banned app can be ruled out there; remove that profile, or check it on the phone</source>
        <translation>les applications de l&apos;utilisateur {users} n&apos;ont pas pu être listées (le téléphone refuse au shell un dossier sécurisé ou un profil professionnel)&#xa0;: aucune application interdite ne peut y être exclue&#x202f;; supprimez ce profil ou vérifiez-le sur le téléphone</translation>
    </message>
    <message>
        <source>none of the policy&apos;s apps among {count} installed (policy {policy} {version})</source>
        <translation>aucune application de la politique parmi les {count} installées (politique {policy} {version})</translation>
    </message>
    <message>
        <source>OS {version}, at least {minimum} required</source>
        <translation>système {version}, au moins {minimum} exigé</translation>
    </message>
    <message>
        <source>the phone reports no readable security patch level ({patch})</source>
        <translation>le téléphone n&apos;indique aucun niveau de correctif de sécurité lisible ({patch})</translation>
    </message>
    <message>
        <source>security patch {patch}, {age} days old (at most {days})</source>
        <translation>correctif de sécurité {patch}, vieux de {age} jours (au plus {days})</translation>
    </message>
    <message>
        <source>passcode set: Data Protection encrypts user data</source>
        <translation>code d&apos;accès défini&#xa0;: la protection des données chiffre les données de l&apos;utilisateur</translation>
    </message>
    <message>
        <source>no passcode: Data Protection is not protecting user data</source>
        <translation>aucun code d&apos;accès&#xa0;: la protection des données ne protège pas les données de l&apos;utilisateur</translation>
    </message>
    <message>
        <source>the iPhone did not say whether a passcode is set</source>
        <translation>l&apos;iPhone n&apos;a pas indiqué si un code d&apos;accès est défini</translation>
    </message>
    <message>
        <source>storage encrypted (ro.crypto.state=encrypted)</source>
        <translation>stockage chiffré (ro.crypto.state=encrypted)</translation>
    </message>
    <message>
        <source>storage not encrypted</source>
        <translation>stockage non chiffré</translation>
    </message>
    <message>
        <source>the phone did not report its encryption state</source>
        <translation>le téléphone n&apos;a pas indiqué l&apos;état de son chiffrement</translation>
    </message>
    <message>
        <source>verified boot {boot}, bootloader locked</source>
        <translation>démarrage vérifié {boot}, chargeur d&apos;amorçage verrouillé</translation>
    </message>
    <message>
        <source>verified boot {boot}, bootloader unlocked</source>
        <translation>démarrage vérifié {boot}, chargeur d&apos;amorçage déverrouillé</translation>
    </message>
    <message>
        <source>verified boot {boot}, bootloader state unknown</source>
        <translation>démarrage vérifié {boot}, état du chargeur d&apos;amorçage inconnu</translation>
    </message>
    <message>
        <source>signs of root: {signs}</source>
        <translation>signes d&apos;accès root&#xa0;: {signs}</translation>
    </message>
    <message>
        <source>signs of jailbreak: {signs}</source>
        <translation>signes de débridage&#xa0;: {signs}</translation>
    </message>
    <message>
        <source>no sign of root or jailbreak</source>
        <translation>aucun signe d&apos;accès root ni de débridage</translation>
    </message>
    <message>
        <source>developer options on</source>
        <translation>options pour les développeurs activées</translation>
    </message>
    <message>
        <source>developer options off</source>
        <translation>options pour les développeurs désactivées</translation>
    </message>
    <message>
        <source>the phone did not report its developer options</source>
        <translation>le téléphone n&apos;a pas indiqué l&apos;état de ses options pour les développeurs</translation>
    </message>
    <message>
        <source>no global &apos;unknown sources&apos; switch (Android 8+ asks per app)</source>
        <translation>aucun réglage global «&#xa0;sources inconnues&#xa0;» (Android 8 et plus demande application par application)</translation>
    </message>
    <message>
        <source>installs from unknown sources allowed</source>
        <translation>installations de sources inconnues permises</translation>
    </message>
    <message>
        <source>unknown sources off</source>
        <translation>sources inconnues désactivées</translation>
    </message>
    <message>
        <source>missing: {apps}</source>
        <translation>manquantes&#xa0;: {apps}</translation>
    </message>
    <message>
        <source>present: {apps}</source>
        <translation>présentes&#xa0;: {apps}</translation>
    </message>
    <message>
        <source>none required</source>
        <translation>aucune exigée</translation>
    </message>
    <message>
        <source>user-installed apps remain ({count}): {apps}</source>
        <translation>des applications installées par l&apos;utilisateur restent ({count})&#xa0;: {apps}</translation>
    </message>
    <message>
        <source>only the preinstalled apps ({count}), as on a fresh phone</source>
        <translation>seulement les applications préinstallées ({count}), comme sur un téléphone neuf</translation>
    </message>
    <message>
        <source>supervised by the organisation</source>
        <translation>supervisé par l&apos;organisation</translation>
    </message>
    <message>
        <source>not supervised: apps cannot be blocked from reinstalling</source>
        <translation>non supervisé&#xa0;: la réinstallation des applications ne peut pas être bloquée</translation>
    </message>
    <message>
        <source>the iPhone did not say whether it is supervised</source>
        <translation>l&apos;iPhone n&apos;a pas indiqué s&apos;il est supervisé</translation>
    </message>
    <message>
        <source>profile {profile} installed</source>
        <translation>profil {profile} installé</translation>
    </message>
    <message>
        <source>profile {profile} not installed (installed: {installed})</source>
        <translation>profil {profile} non installé (installés&#xa0;: {installed})</translation>
    </message>
    <message>
        <source>profile {profile} not installed (no profile installed)</source>
        <translation>profil {profile} non installé (aucun profil installé)</translation>
    </message>
    <message>
        <source>the iPhone did not say whether Find My is on (com.apple.fmip IsAssociated)</source>
        <translation>l&apos;iPhone n&apos;a pas indiqué si Localiser est activé (com.apple.fmip IsAssociated)</translation>
    </message>
    <message>
        <source>Find My is on: the iPhone is tied to its user&apos;s Apple ID (Activation Lock)</source>
        <translation>Localiser est activé&#xa0;: l&apos;iPhone est lié à l&apos;identifiant Apple de son utilisateur (verrouillage d&apos;activation)</translation>
    </message>
    <message>
        <source>Find My is off: no Activation Lock</source>
        <translation>Localiser est désactivé&#xa0;: aucun verrouillage d&apos;activation</translation>
    </message>
    <message>
        <source>the phone did not list its accounts (dumpsys account)</source>
        <translation>le téléphone n&apos;a pas listé ses comptes (dumpsys account)</translation>
    </message>
    <message>
        <source>no Google or Samsung account (other accounts: {count})</source>
        <translation>aucun compte Google ni Samsung (autres comptes&#xa0;: {count})</translation>
    </message>
    <message>
        <source>signed in: Google account {google} (Factory Reset Protection)</source>
        <translation>session ouverte&#xa0;: compte Google {google} (protection contre la réinitialisation)</translation>
    </message>
    <message>
        <source>signed in: Samsung account {samsung} (Samsung Reactivation Lock)</source>
        <translation>session ouverte&#xa0;: compte Samsung {samsung} (verrouillage de réactivation Samsung)</translation>
    </message>
    <message>
        <source>signed in: Google account {google} (Factory Reset Protection); Samsung account {samsung} (Samsung Reactivation Lock)</source>
        <translation>session ouverte&#xa0;: compte Google {google} (protection contre la réinitialisation)&#x202f;; compte Samsung {samsung} (verrouillage de réactivation Samsung)</translation>
    </message>
    <message>
        <source>Check on the iPhone: Settings, [the user&apos;s name], Find My; the user signs out of iCloud if it is on</source>
        <translation>Vérifiez sur l&apos;iPhone&#xa0;: Réglages, [nom de l&apos;utilisateur], Localiser&#x202f;; l&apos;utilisateur se déconnecte d&apos;iCloud si Localiser est activé</translation>
    </message>
    <message>
        <source>The returning user must sign out of iCloud on the iPhone (Settings, [their name], Sign Out, with their Apple ID password), which turns Find My and Activation Lock off</source>
        <translation>L&apos;utilisateur qui rend l&apos;iPhone doit s&apos;y déconnecter d&apos;iCloud (Réglages, [son nom], Se déconnecter, avec le mot de passe de son identifiant Apple), ce qui désactive Localiser et le verrouillage d&apos;activation</translation>
    </message>
    <message>
        <source>Check on the phone: Settings, Accounts; the user removes any Google or Samsung account</source>
        <translation>Vérifiez sur le téléphone&#xa0;: Paramètres, Comptes&#x202f;; l&apos;utilisateur supprime tout compte Google ou Samsung</translation>
    </message>
    <message>
        <source>The returning user must remove the Google account {google} (Settings, Accounts, with the account&apos;s password)</source>
        <translation>L&apos;utilisateur qui rend le téléphone doit supprimer le compte Google {google} (Paramètres, Comptes, avec le mot de passe du compte)</translation>
    </message>
    <message>
        <source>The returning user must remove the Samsung account {samsung} (Settings, Accounts, with the account&apos;s password)</source>
        <translation>L&apos;utilisateur qui rend le téléphone doit supprimer le compte Samsung {samsung} (Paramètres, Comptes, avec le mot de passe du compte)</translation>
    </message>
    <message>
        <source>The returning user must remove the Google account {google} and remove the Samsung account {samsung} (Settings, Accounts, with the account&apos;s password)</source>
        <translation>L&apos;utilisateur qui rend le téléphone doit supprimer le compte Google {google} et le compte Samsung {samsung} (Paramètres, Comptes, avec le mot de passe du compte)</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>verrouillé</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>{gate}: {evidence}. {remedy}</source>
        <translation>{gate}&#xa0;: {evidence}. {remedy}</translation>
    </message>
    <message>
        <source>the phone did not report its battery</source>
        <translation>le téléphone n&apos;a pas indiqué l&apos;état de sa batterie</translation>
    </message>
    <message>
        <source>battery {health}: {summary}</source>
        <translation>batterie {health}&#xa0;: {summary}</translation>
    </message>
    <message>
        <source>battery holds {capacity}% of its design capacity (at least {minimum}%): {summary}</source>
        <translation>la batterie retient {capacity}&#xa0;% de sa capacité nominale (au moins {minimum}&#xa0;%)&#xa0;: {summary}</translation>
    </message>
    <message>
        <source>level {level}%</source>
        <translation>charge {level}&#xa0;%</translation>
    </message>
    <message>
        <source>health {health}</source>
        <translation>état {health}</translation>
    </message>
    <message>
        <source>capacity {capacity}% of design</source>
        <translation>capacité {capacity}&#xa0;% de la capacité nominale</translation>
    </message>
    <message>
        <source>{cycles} cycles</source>
        <translation>{cycles} cycles</translation>
    </message>
    <message>
        <source>{celsius} °C</source>
        <translation>{celsius}&#xa0;°C</translation>
    </message>
    <message>
        <source>good</source>
        <translation>bon</translation>
    </message>
    <message>
        <source>overheating</source>
        <translation>en surchauffe</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>morte</translation>
    </message>
    <message>
        <source>over voltage</source>
        <translation>en surtension</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>défaillante</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>froide</translation>
    </message>
    <message>
        <source>does not apply to {platform} phones</source>
        <translation>ne s&apos;applique pas aux téléphones {platform}</translation>
    </message>
    <message>
        <source>Android cannot block reinstalling an app without an MDM (device owner): put the policy&apos;s apps on your EMM&apos;s blocklist</source>
        <translation>Android ne peut pas bloquer la réinstallation d&apos;une application sans GAM (propriétaire de l&apos;appareil)&#xa0;: ajoutez les applications de la politique à la liste de blocage de votre GMEM</translation>
    </message>
    <message>
        <source>supervision is an iPhone notion; Android&apos;s counterpart is an MDM device owner</source>
        <translation>la supervision est une notion propre à l&apos;iPhone&#x202f;; son équivalent Android est un propriétaire d&apos;appareil GAM</translation>
    </message>
    <message>
        <source>no banned app to remove</source>
        <translation>aucune application interdite à supprimer</translation>
    </message>
    <message>
        <source>removed {apps}</source>
        <translation>supprimées&#xa0;: {apps}</translation>
    </message>
    <message>
        <source>profile {profile} already installed</source>
        <translation>profil {profile} déjà installé</translation>
    </message>
    <message>
        <source>profile {profile} installed; enforced on this supervised iPhone</source>
        <translation>profil {profile} installé&#x202f;; appliqué sur cet iPhone supervisé</translation>
    </message>
    <message>
        <source>profile {profile} sent: the user must approve it in Settings, General, VPN &amp; Device Management, and iOS enforces blocked apps only on supervised iPhones</source>
        <translation>profil {profile} envoyé&#xa0;: l&apos;utilisateur doit l&apos;approuver dans Réglages, Général, VPN et gestion de l&apos;appareil, et iOS n&apos;applique le blocage des applications que sur les iPhone supervisés</translation>
    </message>
    <message>
        <source>no app to install</source>
        <translation>aucune application à installer</translation>
    </message>
    <message>
        <source>nothing to set</source>
        <translation>aucun réglage à appliquer</translation>
    </message>
    <message>
        <source>not wiped: {evidence}. {remedy}</source>
        <translation>non effacé&#xa0;: {evidence}. {remedy}</translation>
    </message>
    <message>
        <source>reset by hand in recovery</source>
        <translation>réinitialisé à la main en mode de récupération</translation>
    </message>
    <message>
        <source>{done}; wiped under {supervisor}&apos;s override although {evidence}: it asks for that account when set up, so it cannot be handed out until the account&apos;s owner releases it</source>
        <translation>{done}&#x202f;; effacé sur dérogation de {supervisor} bien que {evidence}&#xa0;: il demande ce compte à la configuration et ne peut donc pas être remis avant que le titulaire du compte le libère</translation>
    </message>
    <message>
        <source>not sealed: {why}</source>
        <translation>non scellé&#xa0;: {why}</translation>
    </message>
    <message>
        <source>the checklist did not pass ({items} failed); the station keeps its access so the phone can be put right and checked again</source>
        <translation>la liste de contrôle n&apos;est pas réussie (échec&#xa0;: {items})&#x202f;; le poste garde son accès pour que le téléphone soit corrigé et vérifié de nouveau</translation>
    </message>
    <message>
        <source>another connected phone ({twins}) reports the same serial; connect the phones one at a time and run the checklist again</source>
        <translation>un autre téléphone branché ({twins}) indique le même numéro de série&#x202f;; branchez les téléphones un à la fois et refaites la liste de contrôle</translation>
    </message>
    <message>
        <source>the settings Test Harness Mode changed did not read back as put: {wrong}; the station keeps its access to put them right</source>
        <translation>les réglages modifiés par le mode Test Harness ne se relisent pas comme ils ont été remis&#xa0;: {wrong}&#x202f;; le poste garde son accès pour les corriger</translation>
    </message>
    <message>
        <source>{count} Test Harness settings put back and read back</source>
        <translation>{count} réglages du mode Test Harness remis et relus</translation>
    </message>
    <message>
        <source>its &apos;Test Harness Mode enabled&apos; notice and auto-sync off stay until a reset</source>
        <translation>son avis «&#xa0;Test Harness Mode enabled&#xa0;» et la synchronisation automatique désactivée restent jusqu&apos;à une réinitialisation</translation>
    </message>
    <message>
        <source>developer options and USB debugging off</source>
        <translation>options pour les développeurs et débogage USB désactivés</translation>
    </message>
    <message>
        <source>this station&apos;s pairing removed (lockdown Unpair)</source>
        <translation>jumelage de ce poste supprimé (lockdown Unpair)</translation>
    </message>
    <message>
        <source>restarted into recovery for the last reset, chosen there by hand; the reset turns USB debugging off and forgets this station&apos;s key, and the phone waits at its setup screens for enrolment</source>
        <translation>redémarré en mode de récupération pour la dernière réinitialisation, choisie là à la main&#x202f;; la réinitialisation désactive le débogage USB et oublie la clé de ce poste, et le téléphone attend à ses écrans de configuration pour l&apos;inscription</translation>
    </message>
    <message>
        <source>the phone still let this station in {seconds} s later</source>
        <translation>le téléphone laissait encore entrer le poste {seconds} s plus tard</translation>
    </message>
    <message>
        <source>whether the phone still trusts this station could not be told ({detail})</source>
        <translation>impossible de savoir si le téléphone fait encore confiance à ce poste ({detail})</translation>
    </message>
    <message>
        <source>{done}, but {why}</source>
        <translation>{done}, mais {why}</translation>
    </message>
    <message>
        <source>it stopped answering over adb</source>
        <translation>il ne répond plus par adb</translation>
    </message>
    <message>
        <source>it asks &apos;Trust This Computer?&apos; again</source>
        <translation>il demande de nouveau «&#xa0;Faire confiance à cet ordinateur&#x202f;?&#xa0;»</translation>
    </message>
    <message>
        <source>{done}; {went}</source>
        <translation>{done}&#x202f;; {went}</translation>
    </message>
</context>
<context>
    <name>FirstSupervisorDialog</name>
    <message>
        <source>First supervisor</source>
        <translation>Premier superviseur</translation>
    </message>
    <message>
        <source>This station has no operators yet. The first one is a supervisor, who then adds the
others with `station operator add`.</source>
        <translation>Ce poste n&apos;a encore aucun opérateur. Le premier est un superviseur, qui ajoute ensuite
les autres avec `station operator add`.</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Badge:</source>
        <translation>Insigne&#xa0;:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue&#xa0;:</translation>
    </message>
    <message>
        <source>PIN:</source>
        <translation>NIP&#xa0;:</translation>
    </message>
    <message>
        <source>PIN again:</source>
        <translation>NIP (confirmation)&#xa0;:</translation>
    </message>
    <message>
        <source>Create and sign in</source>
        <translation>Créer et ouvrir la session</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>serial, IMEI or asset tag, then Enter</source>
        <translation>numéro de série, IIEM ou étiquette de bien, puis Entrée</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Série</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Poste</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) for &apos;{term}&apos;</source>
        <translation>
            <numerusform>%n enregistrement pour «&#xa0;{term}&#xa0;»</numerusform>
            <numerusform>%n enregistrements pour «&#xa0;{term}&#xa0;»</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Scan</source>
        <translation>Analyser</translation>
    </message>
    <message>
        <source>Scan the selected phones again</source>
        <translation>Analyser de nouveau les appareils sélectionnés</translation>
    </message>
    <message>
        <source>Remove banned apps…</source>
        <translation>Supprimer les applications interdites…</translation>
    </message>
    <message>
        <source>Remove the banned apps from the selected phones</source>
        <translation>Supprimer les applications interdites des appareils sélectionnés</translation>
    </message>
    <message>
        <source>Wipe…</source>
        <translation>Effacer…</translation>
    </message>
    <message>
        <source>Factory-reset the selected phone</source>
        <translation>Réinitialiser l&apos;appareil sélectionné aux paramètres d&apos;usine</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Stop what the selected phones are doing</source>
        <translation>Arrêter ce que font les appareils sélectionnés</translation>
    </message>
    <message>
        <source>Enter IMEI…</source>
        <translation>Saisir l&apos;IIEM…</translation>
    </message>
    <message>
        <source>Type or scan the IMEI of the selected phone when it does not report it</source>
        <translation>Saisir ou lire au lecteur l&apos;IIEM de l&apos;appareil sélectionné lorsqu&apos;il ne le fournit pas</translation>
    </message>
    <message>
        <source>Provision…</source>
        <translation>Mise en service…</translation>
    </message>
    <message>
        <source>Run the provisioning checklist on the selected phones</source>
        <translation>Effectuer la liste de contrôle de mise en service sur les appareils sélectionnés</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>Retour…</translation>
    </message>
    <message>
        <source>Run the returns checklist on the selected phones (wipes them)</source>
        <translation>Effectuer la liste de contrôle de retour sur les appareils sélectionnés (les efface)</translation>
    </message>
    <message>
        <source>Return, wiping a locked phone…</source>
        <translation>Retour, en effaçant un appareil verrouillé…</translation>
    </message>
    <message>
        <source>Run the returns checklist on the selected phone although a reset locks it to its user&apos;s account (a supervisor&apos;s override)</source>
        <translation>Effectuer la liste de contrôle de retour sur l&apos;appareil sélectionné même si une réinitialisation le verrouille au compte de son utilisateur (dérogation d&apos;un superviseur)</translation>
    </message>
    <message>
        <source>Sign off…</source>
        <translation>Approuver…</translation>
    </message>
    <message>
        <source>Sign off the selected phones for hand-out (PIN again; an override needs a supervisor)</source>
        <translation>Approuver la remise des appareils sélectionnés (NIP de nouveau&#x202f;; une dérogation exige un superviseur)</translation>
    </message>
    <message>
        <source>Print checklist…</source>
        <translation>Imprimer la liste de contrôle…</translation>
    </message>
    <message>
        <source>Print the selected phones&apos; latest checklists</source>
        <translation>Imprimer la dernière liste de contrôle des appareils sélectionnés</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Tout sélectionner</translation>
    </message>
    <message>
        <source>Select every phone on the wall</source>
        <translation>Sélectionner tous les appareils du mur</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>Historique…</translation>
    </message>
    <message>
        <source>Search the log by serial, IMEI or asset tag</source>
        <translation>Chercher dans le journal par numéro de série, IIEM ou étiquette de bien</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Politique</translation>
    </message>
    <message>
        <source>Show the policy&apos;s rules, reasons and sources</source>
        <translation>Afficher les règles de la politique, leurs motifs et leurs sources</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <source>Policy file and data folder</source>
        <translation>Fichier de politique et dossier de données</translation>
    </message>
    <message>
        <source>Back up the log…</source>
        <translation>Sauvegarder le journal…</translation>
    </message>
    <message>
        <source>Write a checked copy of the log into a new folder (supervisors)</source>
        <translation>Écrire une copie vérifiée du journal dans un nouveau dossier (superviseurs)</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Ouvrir une session…</translation>
    </message>
    <message>
        <source>Operator sign-in: name or badge, and PIN (a badge scanner works too)</source>
        <translation>Ouverture de session de l&apos;opérateur&#xa0;: nom ou insigne, et NIP (un lecteur d&apos;insigne fonctionne aussi)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Fermer la session</translation>
    </message>
    <message>
        <source>Sign the operator out</source>
        <translation>Fermer la session de l&apos;opérateur</translation>
    </message>
    <message>
        <source>Operators…</source>
        <translation>Opérateurs…</translation>
    </message>
    <message>
        <source>The station&apos;s operators; a supervisor adds them</source>
        <translation>Les opérateurs du poste&#x202f;; un superviseur les ajoute</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Close the station (phones at work are stopped and logged)</source>
        <translation>Fermer le poste (le travail en cours sur les appareils est arrêté et consigné)</translation>
    </message>
    <message>
        <source>Depot Station</source>
        <translation>Depot Station</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Poste</translation>
    </message>
    <message>
        <source>&amp;Phones</source>
        <translation>&amp;Appareils</translation>
    </message>
    <message>
        <source>&amp;Station</source>
        <translation>&amp;Poste</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>{tip} ({keys})</source>
        <translation>{tip} ({keys})</translation>
    </message>
    <message numerus="yes">
        <source>{workflow} on %n phone(s). It will:
{steps}

Go on?</source>
        <translation>
            <numerusform>{workflow} sur %n appareil. Étapes&#xa0;:
{steps}

Continuer&#x202f;?</numerusform>
            <numerusform>{workflow} sur %n appareils. Étapes&#xa0;:
{steps}

Continuer&#x202f;?</numerusform>
        </translation>
    </message>
    <message>
        <source>Print checklist</source>
        <translation>Imprimer la liste de contrôle</translation>
    </message>
    <message>
        <source>None of the selected phones has a checklist yet: run Provision or Return first.</source>
        <translation>Aucun des appareils sélectionnés n&apos;a encore de liste de contrôle&#xa0;: lancez d&apos;abord Mise en service ou Retour.</translation>
    </message>
    <message>
        <source>Sign off</source>
        <translation>Approbation</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Ouverture de session</translation>
    </message>
    <message>
        <source>Set a new PIN</source>
        <translation>Définir un nouveau NIP</translation>
    </message>
    <message>
        <source>Add operator</source>
        <translation>Ajout d&apos;un opérateur</translation>
    </message>
    <message>
        <source>Change language</source>
        <translation>Changement de langue</translation>
    </message>
    <message>
        <source>Operator: {name} (badge {badge})</source>
        <translation>Opérateur&#xa0;: {name} (insigne {badge})</translation>
    </message>
    <message>
        <source>Not signed in (Ctrl+L)</source>
        <translation>Aucune session ouverte (Ctrl+L)</translation>
    </message>
    <message>
        <source>Switch operator…</source>
        <translation>Changer d&apos;opérateur…</translation>
    </message>
    <message>
        <source>Back up the log</source>
        <translation>Sauvegarder le journal</translation>
    </message>
    <message>
        <source>Only a supervisor backs up the log.</source>
        <translation>Seul un superviseur sauvegarde le journal.</translation>
    </message>
    <message>
        <source>Back up the log into a new folder inside…</source>
        <translation>Sauvegarder le journal dans un nouveau dossier à l&apos;intérieur de…</translation>
    </message>
    <message numerus="yes">
        <source>The log is backed up: %n record(s), checked by the backup&apos;s manifest, in {folder}</source>
        <translation>
            <numerusform>Le journal est sauvegardé&#xa0;: %n enregistrement, vérifié par le manifeste de la sauvegarde, dans {folder}</numerusform>
            <numerusform>Le journal est sauvegardé&#xa0;: %n enregistrements, vérifiés par le manifeste de la sauvegarde, dans {folder}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>tap Allow on the phone&apos;s &apos;Allow USB debugging?&apos; prompt (tick &apos;Always allow from this computer&apos;)</source>
        <translation>touchez Autoriser dans l&apos;invite «&#xa0;Autoriser le débogage USB&#x202f;?&#xa0;» de l&apos;appareil (cochez «&#xa0;Toujours autoriser sur cet ordinateur&#xa0;»)</translation>
    </message>
    <message>
        <source>unlock the iPhone and tap Trust on &apos;Trust This Computer?&apos;, then enter its passcode</source>
        <translation>déverrouillez l&apos;iPhone et touchez Se fier dans «&#xa0;Faire confiance à cet ordinateur&#x202f;?&#xa0;», puis entrez son code d&apos;accès</translation>
    </message>
    <message>
        <source>The phone is restarting into recovery. On the phone: choose &apos;Wipe data/factory reset&apos; with the volume keys and confirm with the power key, then &apos;Reboot system now&apos;. When it starts, skip through setup, turn USB debugging back on (Settings, About phone: tap Build number seven times; then Developer options) and tap Allow. The station checks the wipe when the phone is back.</source>
        <translation>L&apos;appareil redémarre en mode de récupération. Sur l&apos;appareil&#xa0;: choisissez «&#xa0;Wipe data/factory reset&#xa0;» avec les touches de volume et confirmez avec la touche d&apos;alimentation, puis «&#xa0;Reboot system now&#xa0;». Au démarrage, passez la configuration, réactivez le débogage USB (Paramètres, À propos du téléphone&#xa0;: touchez sept fois Numéro de version&#x202f;; puis Options pour les développeurs) et touchez Autoriser. Le poste vérifie l&apos;effacement au retour de l&apos;appareil.</translation>
    </message>
    <message>
        <source>The phone is restarting into recovery for its last reset. On the phone: choose &apos;Wipe data/factory reset&apos; with the volume keys and confirm with the power key, then &apos;Reboot system now&apos;. Leave it at its first setup screen, for enrolment in the organisation&apos;s device management; do not turn USB debugging on.</source>
        <translation>L&apos;appareil redémarre en mode de récupération pour sa dernière réinitialisation. Sur l&apos;appareil&#xa0;: choisissez «&#xa0;Wipe data/factory reset&#xa0;» avec les touches de volume et confirmez avec la touche d&apos;alimentation, puis «&#xa0;Reboot system now&#xa0;». Laissez-le à son premier écran de configuration, pour l&apos;inscription à la gestion des appareils de l&apos;organisation&#x202f;; n&apos;activez pas le débogage USB.</translation>
    </message>
    <message>
        <source>the phone has not accepted the station yet: tap Allow or Trust on the phone, then try again</source>
        <translation>l&apos;appareil n&apos;a pas encore accepté le poste&#xa0;: touchez Autoriser ou Se fier sur l&apos;appareil, puis réessayez</translation>
    </message>
    <message>
        <source>the phone refused the station (Deny or Don&apos;t Trust was tapped): unplug it, plug it back in and accept</source>
        <translation>l&apos;appareil a refusé le poste (Refuser ou Ne pas se fier a été touché)&#xa0;: débranchez-le, rebranchez-le et acceptez</translation>
    </message>
    <message>
        <source>the phone stopped answering: check the cable and the hub, plug it back in and try again</source>
        <translation>l&apos;appareil ne répond plus&#xa0;: vérifiez le câble et le concentrateur, rebranchez-le et réessayez</translation>
    </message>
    <message>
        <source>the connection dropped: plug the phone back in and try again; what was done is in the log</source>
        <translation>la connexion a été perdue&#xa0;: rebranchez l&apos;appareil et réessayez&#x202f;; ce qui a été fait est consigné au journal</translation>
    </message>
    <message>
        <source>the station cannot reach the phone: check the cable and USB debugging</source>
        <translation>le poste ne peut pas joindre l&apos;appareil&#xa0;: vérifiez le câble et le débogage USB</translation>
    </message>
    <message>
        <source>the phone answered something the station does not understand: restart the phone and try again</source>
        <translation>l&apos;appareil a répondu d&apos;une façon que le poste ne comprend pas&#xa0;: redémarrez l&apos;appareil et réessayez</translation>
    </message>
    <message>
        <source>the phone will not reset on the station&apos;s command: reset it by hand</source>
        <translation>l&apos;appareil refuse la réinitialisation commandée par le poste&#xa0;: réinitialisez-le à la main</translation>
    </message>
    <message>
        <source>another phone is now at this place: select the phone again and confirm the action again</source>
        <translation>un autre appareil occupe maintenant cette place&#xa0;: sélectionnez de nouveau l&apos;appareil et confirmez de nouveau l&apos;action</translation>
    </message>
    <message>
        <source>nothing done: an operator must sign in with their PIN first (Ctrl+L)</source>
        <translation>rien n&apos;a été fait&#xa0;: un opérateur doit d&apos;abord ouvrir une session avec son NIP (Ctrl+L)</translation>
    </message>
</context>
<context>
    <name>NewPinDialog</name>
    <message>
        <source>Set a new PIN</source>
        <translation>Définir un nouveau NIP</translation>
    </message>
    <message>
        <source>{operator}, your PIN is too short: PINs are now 6 to 12 digits.
Set a new one to sign in.</source>
        <translation>{operator}, votre NIP est trop court&#xa0;: un NIP compte maintenant 6 à 12 chiffres.
Définissez-en un nouveau pour ouvrir la session.</translation>
    </message>
    <message>
        <source>New PIN:</source>
        <translation>Nouveau NIP&#xa0;:</translation>
    </message>
    <message>
        <source>New PIN again:</source>
        <translation>Nouveau NIP (confirmation)&#xa0;:</translation>
    </message>
    <message>
        <source>Set and sign in</source>
        <translation>Définir et ouvrir la session</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>no usbmuxd answers on this PC, so iPhones cannot be seen. Linux: sudo apt install usbmuxd; Windows: install Apple Devices (or iTunes); macOS has it built in</source>
        <translation>aucun usbmuxd ne répond sur ce PC, les iPhone ne peuvent donc pas être vus. Linux&#xa0;: sudo apt install usbmuxd&#x202f;; Windows&#xa0;: installez Apple Devices (ou iTunes)&#x202f;; macOS l&apos;intègre déjà</translation>
    </message>
    <message numerus="yes">
        <source>usbmuxd ended its connection ({detail}) with %n iPhone(s) listed: they show as unplugged until it lists them again. If this repeats with many iPhones plugged in, restart usbmuxd or plug fewer iPhones into this PC (usbmuxd on some systems fails above about 30)</source>
        <translation>
            <numerusform>usbmuxd a coupé sa connexion ({detail}) alors qu&apos;il listait %n iPhone&#xa0;: celui-ci paraît débranché jusqu&apos;à ce qu&apos;il soit listé de nouveau. Si cela se répète avec beaucoup d&apos;iPhone branchés, redémarrez usbmuxd ou branchez moins d&apos;iPhone sur ce PC (usbmuxd échoue au-delà d&apos;environ 30 sur certains systèmes)</numerusform>
            <numerusform>usbmuxd a coupé sa connexion ({detail}) alors qu&apos;il listait %n iPhone&#xa0;: ils paraissent débranchés jusqu&apos;à ce qu&apos;il les liste de nouveau. Si cela se répète avec beaucoup d&apos;iPhone branchés, redémarrez usbmuxd ou branchez moins d&apos;iPhone sur ce PC (usbmuxd échoue au-delà d&apos;environ 30 sur certains systèmes)</numerusform>
        </translation>
    </message>
    <message>
        <source>usbmuxd announced a device whose id {detail} is not an iPhone UDID; it is ignored</source>
        <translation>usbmuxd a annoncé un appareil dont l&apos;identifiant {detail} n&apos;est pas un UDID d&apos;iPhone&#x202f;; il est ignoré</translation>
    </message>
    <message>
        <source>USB discovery needs the libusb-1.0 library, which is not installed (Debian/Ubuntu: sudo apt install libusb-1.0-0; macOS: brew install libusb; Windows: it ships with the station)</source>
        <translation>la détection USB exige la bibliothèque libusb-1.0, qui n&apos;est pas installée (Debian/Ubuntu&#xa0;: sudo apt install libusb-1.0-0&#x202f;; macOS&#xa0;: brew install libusb&#x202f;; Windows&#xa0;: elle est fournie avec le poste)</translation>
    </message>
    <message>
        <source>USB support is not installed ({detail}); reinstall the station</source>
        <translation>la prise en charge de l&apos;USB n&apos;est pas installée ({detail})&#x202f;; réinstallez le poste</translation>
    </message>
    <message>
        <source>an adb server is running on this PC (port {port}) and holds every phone&apos;s USB interface; run `adb kill-server` and close tools that restart it (Android Studio, scrcpy)</source>
        <translation>un serveur adb fonctionne sur ce PC (port {port}) et retient l&apos;interface USB de chaque téléphone&#x202f;; lancez «&#xa0;adb kill-server&#xa0;» et fermez les outils qui le relancent (Android Studio, scrcpy)</translation>
    </message>
    <message>
        <source>this user may not open the phone&apos;s USB device. On Linux install udev rules for Android phones (Debian/Ubuntu: sudo apt install android-sdk-platform-tools-common), add yourself to the plugdev group, log out and in, then replug the phone</source>
        <translation>cet utilisateur ne peut pas ouvrir l&apos;appareil USB du téléphone. Sous Linux, installez les règles udev des téléphones Android (Debian/Ubuntu&#xa0;: sudo apt install android-sdk-platform-tools-common), ajoutez-vous au groupe plugdev, fermez puis rouvrez la session, puis rebranchez le téléphone</translation>
    </message>
    <message>
        <source>another program holds the phone&apos;s USB interface; usually an adb server: run `adb kill-server` (and close Android Studio or other phone tools), then replug the phone</source>
        <translation>un autre programme retient l&apos;interface USB du téléphone&#x202f;; c&apos;est d&apos;habitude un serveur adb&#xa0;: lancez «&#xa0;adb kill-server&#xa0;» (et fermez Android Studio ou d&apos;autres outils pour téléphones), puis rebranchez le téléphone</translation>
    </message>
    <message>
        <source>the phone was unplugged while the station opened it; plug it back in</source>
        <translation>le téléphone a été débranché pendant que le poste l&apos;ouvrait&#x202f;; rebranchez-le</translation>
    </message>
    <message>
        <source>the USB device could not be used ({detail})</source>
        <translation>l&apos;appareil USB n&apos;a pas pu être utilisé ({detail})</translation>
    </message>
    <message>
        <source>the station&apos;s device process has stopped: close the station and start it again</source>
        <translation>le processus des appareils du poste s&apos;est arrêté&#xa0;: fermez le poste et relancez-le</translation>
    </message>
    <message>
        <source>iPhones: {text}</source>
        <translation>iPhone&#xa0;: {text}</translation>
    </message>
    <message>
        <source>Android on USB: {text}</source>
        <translation>Android par USB&#xa0;: {text}</translation>
    </message>
</context>
<context>
    <name>OperatorsDialog</name>
    <message>
        <source>Operators</source>
        <translation>Opérateurs</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Insigne</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Set the selected operator&apos;s language</source>
        <translation>Appliquer la langue à l&apos;opérateur sélectionné</translation>
    </message>
    <message>
        <source>Add an operator:</source>
        <translation>Ajouter un opérateur&#xa0;:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Badge:</source>
        <translation>Insigne&#xa0;:</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Rôle&#xa0;:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue&#xa0;:</translation>
    </message>
    <message>
        <source>Their PIN:</source>
        <translation>Son NIP&#xa0;:</translation>
    </message>
    <message>
        <source>Their PIN again:</source>
        <translation>Son NIP (confirmation)&#xa0;:</translation>
    </message>
    <message>
        <source>{name}, your PIN:</source>
        <translation>{name}, votre NIP&#xa0;:</translation>
    </message>
    <message>
        <source>Only a supervisor adds operators; {name} is an operator.</source>
        <translation>Seul un superviseur ajoute des opérateurs&#x202f;; {name} est opérateur.</translation>
    </message>
    <message>
        <source>Add operator</source>
        <translation>Ajouter l&apos;opérateur</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>opérateur</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>superviseur</translation>
    </message>
</context>
<context>
    <name>PhoneState</name>
    <message>
        <source>Connecting</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Allow / Trust</source>
        <translation>Autoriser / Se fier</translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <source>Banned apps</source>
        <translation>Applications interdites</translation>
    </message>
    <message>
        <source>Removing</source>
        <translation>Suppression</translation>
    </message>
    <message>
        <source>Wiping</source>
        <translation>Effacement</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>Conforme</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>Non prêt</translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation>Lié à un compte</translation>
    </message>
    <message>
        <source>Signed off</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <source>Unplugged</source>
        <translation>Débranché</translation>
    </message>
    <message>
        <source>Android phone</source>
        <translation>Appareil Android</translation>
    </message>
    <message>
        <source>iPhone</source>
        <translation>iPhone</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>RÉUSSI</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <source>FIXED</source>
        <translation>CORRIGÉ</translation>
    </message>
    <message>
        <source>SKIPPED</source>
        <translation>SANS OBJET</translation>
    </message>
    <message>
        <source>provision</source>
        <translation>mise en service</translation>
    </message>
    <message>
        <source>return</source>
        <translation>retour</translation>
    </message>
    <message>
        <source>signed off by {operator}, record {record}</source>
        <translation>approuvé par {operator}, enregistrement {record}</translation>
    </message>
    <message>
        <source>ready for sign-off</source>
        <translation>prêt pour l&apos;approbation</translation>
    </message>
    <message>
        <source>failed {items}</source>
        <translation>échec&#xa0;: {items}</translation>
    </message>
    <message>
        <source>{workflow}: {outcome}</source>
        <translation>{workflow}&#xa0;: {outcome}</translation>
    </message>
    <message>
        <source>Sealing</source>
        <translation>Scellement</translation>
    </message>
    <message>
        <source>Sealed</source>
        <translation>Scellé</translation>
    </message>
    <message>
        <source>sealed at {time} UTC, ready for sign-off</source>
        <translation>scellé à {time} UTC, prêt pour l&apos;approbation</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>connexion</translation>
    </message>
    <message>
        <source>scanning</source>
        <translation>analyse</translation>
    </message>
    <message>
        <source>removing</source>
        <translation>suppression</translation>
    </message>
    <message>
        <source>wiping</source>
        <translation>effacement</translation>
    </message>
    <message>
        <source>sealing</source>
        <translation>scellement</translation>
    </message>
    <message>
        <source>in recovery: reset it to its setup screens</source>
        <translation>en récupération&#xa0;: réinitialisez-le jusqu&apos;aux écrans de configuration</translation>
    </message>
    <message>
        <source>waiting for Allow</source>
        <translation>en attente d&apos;autorisation</translation>
    </message>
    <message>
        <source>scanned</source>
        <translation>analysé</translation>
    </message>
    <message>
        <source>removal verified</source>
        <translation>suppression vérifiée</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>redémarrage</translation>
    </message>
    <message>
        <source>restarting after the wipe</source>
        <translation>redémarrage après l&apos;effacement</translation>
    </message>
    <message>
        <source>in recovery: reset it by hand</source>
        <translation>en récupération&#xa0;: réinitialisez-le à la main</translation>
    </message>
    <message>
        <source>unplugged</source>
        <translation>débranché</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <source>not sealed: {reason}</source>
        <translation>non scellé&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>sealed at {time} UTC: reset to its setup screens, awaiting enrolment</source>
        <translation>scellé à {time} UTC&#xa0;: réinitialisé jusqu&apos;aux écrans de configuration, en attente d&apos;inscription</translation>
    </message>
    <message>
        <source>sealed at {time} UTC: Test Harness settings put back, USB debugging off</source>
        <translation>scellé à {time} UTC&#xa0;: paramètres du mode Test Harness rétablis, débogage USB désactivé</translation>
    </message>
    <message>
        <source>sealed at {time} UTC: this station&apos;s pairing removed</source>
        <translation>scellé à {time} UTC&#xa0;: jumelage de ce poste retiré</translation>
    </message>
    <message>
        <source>unplugged mid-action: plug it back in; it will be scanned afresh</source>
        <translation>débranché en cours d&apos;action&#xa0;: rebranchez-le&#x202f;; il sera analysé de nouveau</translation>
    </message>
    <message>
        <source>unknown: the iPhone did not say whether Find My is on</source>
        <translation>inconnu&#xa0;: l&apos;iPhone n&apos;a pas indiqué si Localiser est activé</translation>
    </message>
    <message>
        <source>locked: Find My is on (Activation Lock)</source>
        <translation>verrouillé&#xa0;: Localiser est activé (verrouillage d&apos;activation)</translation>
    </message>
    <message>
        <source>clear: Find My is off</source>
        <translation>libre&#xa0;: Localiser est désactivé</translation>
    </message>
    <message>
        <source>unknown: the phone did not list its accounts</source>
        <translation>inconnu&#xa0;: l&apos;appareil n&apos;a pas énuméré ses comptes</translation>
    </message>
    <message>
        <source>clear: no Google or Samsung account</source>
        <translation>libre&#xa0;: aucun compte Google ni Samsung</translation>
    </message>
    <message>
        <source>locked: signed in with {accounts}</source>
        <translation>verrouillé&#xa0;: connecté avec {accounts}</translation>
    </message>
    <message>
        <source>A reset locks this iPhone: the returning user must sign out of iCloud on it (Settings, their name, Sign Out), which turns Find My and Activation Lock off</source>
        <translation>Une réinitialisation verrouillerait cet iPhone&#xa0;: l&apos;utilisateur qui le rend doit se déconnecter d&apos;iCloud (Réglages, son nom, Se déconnecter), ce qui désactive Localiser et le verrouillage d&apos;activation</translation>
    </message>
    <message>
        <source>Check on the phone: Settings, Accounts; the returning user removes any Google or Samsung account</source>
        <translation>Vérifiez sur l&apos;appareil&#xa0;: Paramètres, Comptes&#x202f;; l&apos;utilisateur qui le rend supprime tout compte Google ou Samsung</translation>
    </message>
    <message>
        <source>A reset locks this phone: the returning user must remove their Google or Samsung account (Settings, Accounts, with the account&apos;s password)</source>
        <translation>Une réinitialisation verrouillerait cet appareil&#xa0;: l&apos;utilisateur qui le rend doit supprimer son compte Google ou Samsung (Paramètres, Comptes, avec le mot de passe du compte)</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>non indiqué</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>good</source>
        <translation>bon</translation>
    </message>
    <message>
        <source>overheating</source>
        <translation>en surchauffe</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>hors d&apos;usage</translation>
    </message>
    <message>
        <source>over voltage</source>
        <translation>en surtension</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>trop froide</translation>
    </message>
    <message>
        <source>charged {level}%, health {health}</source>
        <translation>charge {level}&#xa0;%, état {health}</translation>
    </message>
    <message>
        <source>holds {percent}% of its design capacity</source>
        <translation>{percent}&#xa0;% de sa capacité nominale</translation>
    </message>
    <message>
        <source>{cycles} cycles</source>
        <translation>{cycles} cycles</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <source>not listed</source>
        <translation>non énumérés</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
</context>
<context>
    <name>PhoneTile</name>
    <message numerus="yes">
        <source>%n banned app(s): </source>
        <translation>
            <numerusform>%n application interdite&#xa0;: </numerusform>
            <numerusform>%n applications interdites&#xa0;: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n removed, verified clean</source>
        <translation>
            <numerusform>%n supprimée, conformité vérifiée</numerusform>
            <numerusform>%n supprimées, conformité vérifiée</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n apps checked</source>
        <translation>
            <numerusform>%n application vérifiée</numerusform>
            <numerusform>%n applications vérifiées</numerusform>
        </translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>connexion…</translation>
    </message>
    <message>
        <source>was: {status}</source>
        <translation>était&#xa0;: {status}</translation>
    </message>
</context>
<context>
    <name>PolicyDialog</name>
    <message>
        <source>Policy: {name}</source>
        <translation>Politique&#xa0;: {name}</translation>
    </message>
    <message>
        <source>{name}
{authority}, version {version}
{path}
SHA-256 {sha256}</source>
        <translation>{name}
{authority}, version {version}
{path}
SHA-256 {sha256}</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Règle</translation>
    </message>
    <message>
        <source>App</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>En vigueur</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <source>a PIN is {low} to {high} digits (this one is {count} characters)</source>
        <translation>un NIP compte de {low} à {high} chiffres (celui-ci compte {count} caractères)</translation>
    </message>
    <message>
        <source>a PIN is {low} to {high} digits (this one is {count} characters, not all digits)</source>
        <translation>un NIP compte de {low} à {high} chiffres (celui-ci compte {count} caractères, pas tous des chiffres)</translation>
    </message>
    <message>
        <source>no operator is called {detail}: use the badge number</source>
        <translation>aucun opérateur ne s&apos;appelle {detail}&#xa0;: utilisez le numéro d&apos;insigne</translation>
    </message>
    <message>
        <source>more than one operator is called {detail}: use the badge number</source>
        <translation>plus d&apos;un opérateur s&apos;appelle {detail}&#xa0;: utilisez le numéro d&apos;insigne</translation>
    </message>
    <message>
        <source>an operator needs a name and a badge number of letters, digits or dashes</source>
        <translation>un opérateur doit avoir un nom et un numéro d&apos;insigne fait de lettres, de chiffres ou de traits d&apos;union</translation>
    </message>
    <message>
        <source>only a supervisor can add operators on this station</source>
        <translation>seul un superviseur peut ajouter des opérateurs à ce poste</translation>
    </message>
    <message>
        <source>the first operator on a new station must be a supervisor</source>
        <translation>le premier opérateur d&apos;un nouveau poste doit être un superviseur</translation>
    </message>
    <message>
        <source>badge {detail} is already taken</source>
        <translation>l&apos;insigne {detail} est déjà attribué</translation>
    </message>
    <message>
        <source>only a supervisor can change an operator&apos;s language</source>
        <translation>seul un superviseur peut changer la langue d&apos;un opérateur</translation>
    </message>
    <message>
        <source>no operator exists yet: a supervisor must be created first</source>
        <translation>aucun opérateur n&apos;existe encore&#xa0;: il faut d&apos;abord créer un superviseur</translation>
    </message>
    <message>
        <source>{name} is locked after {count} wrong PINs until {detail} UTC; a supervisor can help</source>
        <translation>{name} est bloqué après {count} NIP erronés jusqu&apos;à {detail} UTC&#x202f;; un superviseur peut aider</translation>
    </message>
    <message numerus="yes">
        <source>wrong PIN for {name} (%n tries left)</source>
        <translation>
            <numerusform>NIP erroné pour {name} (%n essai restant)</numerusform>
            <numerusform>NIP erroné pour {name} (%n essais restants)</numerusform>
        </translation>
    </message>
    <message>
        <source>wrong PIN for {name}: locked for {count} minutes</source>
        <translation>NIP erroné pour {name}&#xa0;: bloqué pendant {count} minutes</translation>
    </message>
    <message>
        <source>the new PIN must differ from the current one</source>
        <translation>le nouveau NIP doit être différent de l&apos;actuel</translation>
    </message>
    <message>
        <source>{name}&apos;s PIN is shorter than the rule now asks: set a new one of {low} to {high} digits</source>
        <translation>le NIP de {name} est plus court que ne l&apos;exige la règle actuelle&#xa0;: choisissez-en un nouveau de {low} à {high} chiffres</translation>
    </message>
    <message>
        <source>record {count} is not a checklist</source>
        <translation>l&apos;enregistrement {count} n&apos;est pas une liste de contrôle</translation>
    </message>
    <message>
        <source>{name}: another connected phone ({detail}) reports the same serial, so this checklist cannot be bound to one phone: it cannot be signed off, even by override. Connect the phones one at a time and run the checklist again</source>
        <translation>{name}&#xa0;: un autre téléphone branché ({detail}) indique le même numéro de série, cette liste de contrôle ne peut donc pas être liée à un seul téléphone&#xa0;: elle ne peut pas être approuvée, même par dérogation. Branchez les téléphones un à la fois et refaites la liste de contrôle</translation>
    </message>
    <message>
        <source>{name} has not passed its checklist ({detail} failed): it cannot be signed off; a supervisor may override with a written reason</source>
        <translation>{name} n&apos;a pas réussi sa liste de contrôle (échec&#xa0;: {detail})&#xa0;: l&apos;approbation est impossible&#x202f;; un superviseur peut accorder une dérogation motivée par écrit</translation>
    </message>
    <message>
        <source>{name} is not a supervisor: an override needs one</source>
        <translation>{name} n&apos;est pas superviseur&#xa0;: une dérogation exige un superviseur</translation>
    </message>
    <message>
        <source>an override needs a second person: the supervisor cannot be the signing operator</source>
        <translation>une dérogation exige une deuxième personne&#xa0;: le superviseur ne peut pas être l&apos;opérateur qui approuve</translation>
    </message>
    <message>
        <source>an override needs a written reason of at least {count} characters</source>
        <translation>une dérogation exige un motif écrit d&apos;au moins {count} caractères</translation>
    </message>
    <message>
        <source>retiring a phone needs a written reason of at least {count} characters</source>
        <translation>retirer un téléphone exige un motif écrit d&apos;au moins {count} caractères</translation>
    </message>
    <message>
        <source>{name}: this station has never seen that phone</source>
        <translation>{name}&#xa0;: ce poste n&apos;a jamais vu ce téléphone</translation>
    </message>
    <message>
        <source>wiping a locked phone needs the operator at the bench signed in with their PIN, and a second person</source>
        <translation>effacer un téléphone verrouillé exige que l&apos;opérateur au poste soit connecté avec son NIP, et une deuxième personne</translation>
    </message>
    <message>
        <source>wiping a locked phone needs a written reason of at least {count} characters</source>
        <translation>effacer un téléphone verrouillé exige un motif écrit d&apos;au moins {count} caractères</translation>
    </message>
    <message>
        <source>{name} is not a supervisor: wiping a locked phone needs one</source>
        <translation>{name} n&apos;est pas superviseur&#xa0;: effacer un téléphone verrouillé exige un superviseur</translation>
    </message>
    <message>
        <source>wiping a locked phone needs a second person: the supervisor cannot be the operator</source>
        <translation>effacer un téléphone verrouillé exige une deuxième personne&#xa0;: le superviseur ne peut pas être l&apos;opérateur</translation>
    </message>
    <message>
        <source>{name} is not a supervisor: only a supervisor publishes the depot&apos;s {detail}</source>
        <translation>{name} n&apos;est pas superviseur&#xa0;: seul un superviseur publie la {detail} du dépôt</translation>
    </message>
</context>
<context>
    <name>RemoveDialog</name>
    <message>
        <source>Remove banned apps</source>
        <translation>Supprimer les applications interdites</translation>
    </message>
    <message numerus="yes">
        <source>These %n banned app(s) will be removed from {phones} phone(s):</source>
        <translation>
            <numerusform>Cette application interdite (%n) sera supprimée de {phones} appareil(s)&#xa0;:</numerusform>
            <numerusform>Ces %n applications interdites seront supprimées de {phones} appareil(s)&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>{serial}   {app}   user {user}   ({rule_app})</source>
        <translation>{serial}   {app}   utilisateur {user}   ({rule_app})</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n app(s)</source>
        <translation>
            <numerusform>Supprimer %n application</numerusform>
            <numerusform>Supprimer %n applications</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Policy file:</source>
        <translation>Fichier de politique&#xa0;:</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>Dossier de données&#xa0;:</translation>
    </message>
    <message>
        <source>Changes take effect when the station next starts.</source>
        <translation>Les changements s&apos;appliquent au prochain démarrage du poste.</translation>
    </message>
    <message>
        <source>English and French, side by side</source>
        <translation>Anglais et français, côte à côte</translation>
    </message>
    <message>
        <source>Printed checklist:</source>
        <translation>Liste de contrôle imprimée&#xa0;:</translation>
    </message>
    <message>
        <source> day(s)</source>
        <translation> jour(s)</translation>
    </message>
    <message>
        <source>Remind supervisors to back up the log after:</source>
        <translation>Rappeler aux superviseurs de sauvegarder le journal après&#xa0;:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Policies (*.toml)</source>
        <translation>Politiques (*.toml)</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Operator sign-in</source>
        <translation>Ouverture de session de l&apos;opérateur</translation>
    </message>
    <message>
        <source>name or badge (type or scan)</source>
        <translation>nom ou insigne (saisi ou lu)</translation>
    </message>
    <message>
        <source>Operator:</source>
        <translation>Opérateur&#xa0;:</translation>
    </message>
    <message>
        <source>PIN:</source>
        <translation>NIP&#xa0;:</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Ouvrir la session</translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message>
        <source>Override and sign off</source>
        <translation>Déroger et approuver</translation>
    </message>
    <message>
        <source>Sign off for hand-out</source>
        <translation>Approbation pour la remise</translation>
    </message>
    <message>
        <source>{phone}, serial {serial}, did NOT pass its checklist:</source>
        <translation>{phone}, numéro de série {serial}, n&apos;a PAS réussi sa liste de contrôle&#xa0;:</translation>
    </message>
    <message>
        <source>Signing it off anyway needs a written reason and a supervisor&apos;s approval.
The override stays in the log and on the printed checklist.</source>
        <translation>L&apos;approuver malgré tout exige un motif écrit et l&apos;autorisation d&apos;un superviseur.
La dérogation reste au journal et sur la liste de contrôle imprimée.</translation>
    </message>
    <message numerus="yes">
        <source>Sign off %n phone(s) whose checklist passed, as {operator}:</source>
        <translation>
            <numerusform>Approuver %n appareil dont la liste de contrôle est réussie, en tant que {operator}&#xa0;:</numerusform>
            <numerusform>Approuver %n appareils dont la liste de contrôle est réussie, en tant que {operator}&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>{operator}, your PIN:</source>
        <translation>{operator}, votre NIP&#xa0;:</translation>
    </message>
    <message>
        <source>why this phone may go out anyway (at least {count} characters)</source>
        <translation>pourquoi cet appareil peut tout de même être remis (au moins {count} caractères)</translation>
    </message>
    <message>
        <source>name or badge of a supervisor (not you)</source>
        <translation>nom ou insigne d&apos;un superviseur (pas vous)</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Motif&#xa0;:</translation>
    </message>
    <message>
        <source>Supervisor:</source>
        <translation>Superviseur&#xa0;:</translation>
    </message>
    <message>
        <source>Supervisor&apos;s PIN:</source>
        <translation>NIP du superviseur&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>Sign off %n phone(s)</source>
        <translation>
            <numerusform>Approuver %n appareil</numerusform>
            <numerusform>Approuver %n appareils</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryBar</name>
    <message numerus="yes">
        <source>%n phone(s)</source>
        <translation>
            <numerusform>%n appareil</numerusform>
            <numerusform>%n appareils</numerusform>
        </translation>
    </message>
    <message>
        <source>No phones</source>
        <translation>Aucun appareil</translation>
    </message>
</context>
<context>
    <name>Watching</name>
    <message>
        <source>Watching this PC&apos;s USB: Android phones through libusb, iPhones through usbmuxd</source>
        <translation>Surveillance des ports USB de ce poste&#xa0;: appareils Android par libusb, iPhone par usbmuxd</translation>
    </message>
    <message>
        <source>; iPhones through usbmuxd {address}</source>
        <translation>&#x202f;; iPhone par usbmuxd {address}</translation>
    </message>
    <message numerus="yes">
        <source>Demo bench: %n simulated phone(s) ({fleet})</source>
        <translation>
            <numerusform>Banc de démonstration&#xa0;: %n appareil simulé ({fleet})</numerusform>
            <numerusform>Banc de démonstration&#xa0;: %n appareils simulés ({fleet})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Android address(es)</source>
        <translation>
            <numerusform>%n adresse Android</numerusform>
            <numerusform>%n adresses Android</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WipeDialog</name>
    <message>
        <source>Wipe phone</source>
        <translation>Effacer l&apos;appareil</translation>
    </message>
    <message>
        <source>Wipe {phone}, serial {serial}?
Everything on it is erased; this cannot be undone.</source>
        <translation>Effacer {phone}, numéro de série {serial}&#x202f;?
Tout son contenu est effacé&#x202f;; c&apos;est irréversible.</translation>
    </message>
    <message>
        <source>Type the last four characters of its serial to confirm:</source>
        <translation>Tapez les quatre derniers caractères de son numéro de série pour confirmer&#xa0;:</translation>
    </message>
    <message>
        <source>Wipe</source>
        <translation>Effacer</translation>
    </message>
</context>
</TS>
