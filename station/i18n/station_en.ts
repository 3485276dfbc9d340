<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_CA" sourcelanguage="en_CA">
<context>
    <name>BackupBar</name>
    <message numerus="yes">
        <source>The log was last backed up on {date} (%n day(s) ago).</source>
        <translation>
            <numerusform>The log was last backed up on {date} (%n day ago).</numerusform>
            <numerusform>The log was last backed up on {date} (%n days ago).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Depot</name>
    <message numerus="yes">
        <source>Depot {server}, station {name}: connected, %n record(s) waiting</source>
        <translation>
            <numerusform>Depot {server}, station {name}: connected, %n record waiting</numerusform>
            <numerusform>Depot {server}, station {name}: connected, %n records waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Depot {server}, station {name}: unreachable, %n record(s) waiting (kept here, pushed when it is back)</source>
        <translation>
            <numerusform>Depot {server}, station {name}: unreachable, %n record waiting (kept here, pushed when it is back)</numerusform>
            <numerusform>Depot {server}, station {name}: unreachable, %n records waiting (kept here, pushed when it is back)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message numerus="yes">
        <source>%n record(s) for &apos;{term}&apos;</source>
        <translation>
            <numerusform>%n record for &apos;{term}&apos;</numerusform>
            <numerusform>%n records for &apos;{term}&apos;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>{workflow} on %n phone(s). It will:
{steps}

Go on?</source>
        <translation>
            <numerusform>{workflow} on %n phone. It will:
{steps}

Go on?</numerusform>
            <numerusform>{workflow} on %n phones. It will:
{steps}

Go on?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The log is backed up: %n record(s), checked by the backup&apos;s manifest, in {folder}</source>
        <translation>
            <numerusform>The log is backed up: %n record, checked by the backup&apos;s manifest, in {folder}</numerusform>
            <numerusform>The log is backed up: %n records, checked by the backup&apos;s manifest, in {folder}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message numerus="yes">
        <source>usbmuxd ended its connection ({detail}) with %n iPhone(s) listed: they show as unplugged until it lists them again. If this repeats with many iPhones plugged in, restart usbmuxd or plug fewer iPhones into this PC (usbmuxd on some systems fails above about 30)</source>
        <translation>
            <numerusform>usbmuxd ended its connection ({detail}) with %n iPhone listed: it shows as unplugged until it is listed again. If this repeats with many iPhones plugged in, restart usbmuxd or plug fewer iPhones into this PC (usbmuxd on some systems fails above about 30)</numerusform>
            <numerusform>usbmuxd ended its connection ({detail}) with %n iPhones listed: they show as unplugged until it lists them again. If this repeats with many iPhones plugged in, restart usbmuxd or plug fewer iPhones into this PC (usbmuxd on some systems fails above about 30)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PhoneTile</name>
    <message numerus="yes">
        <source>%n banned app(s): </source>
        <translation>
            <numerusform>%n banned app: </numerusform>
            <numerusform>%n banned apps: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n removed, verified clean</source>
        <translation>
            <numerusform>%n removed, verified clean</numerusform>
            <numerusform>%n removed, verified clean</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n apps checked</source>
        <translation>
            <numerusform>%n app checked</numerusform>
            <numerusform>%n apps checked</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message numerus="yes">
        <source>wrong PIN for {name} (%n tries left)</source>
        <translation>
            <numerusform>wrong PIN for {name} (%n try left)</numerusform>
            <numerusform>wrong PIN for {name} (%n tries left)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemoveDialog</name>
    <message numerus="yes">
        <source>These %n banned app(s) will be removed from {phones} phone(s):</source>
        <translation>
            <numerusform>This banned app (%n) will be removed from {phones} phone(s):</numerusform>
            <numerusform>These %n banned apps will be removed from {phones} phone(s):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %n app(s)</source>
        <translation>
            <numerusform>Remove %n app</numerusform>
            <numerusform>Remove %n apps</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message numerus="yes">
        <source>Sign off %n phone(s) whose checklist passed, as {operator}:</source>
        <translation>
            <numerusform>Sign off %n phone whose checklist passed, as {operator}:</numerusform>
            <numerusform>Sign off %n phones whose checklist passed, as {operator}:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sign off %n phone(s)</source>
        <translation>
            <numerusform>Sign off %n phone</numerusform>
            <numerusform>Sign off %n phones</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryBar</name>
    <message numerus="yes">
        <source>%n phone(s)</source>
        <translation>
            <numerusform>%n phone</numerusform>
            <numerusform>%n phones</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Watching</name>
    <message numerus="yes">
        <source>Demo bench: %n simulated phone(s) ({fleet})</source>
        <translation>
            <numerusform>Demo bench: %n simulated phone ({fleet})</numerusform>
            <numerusform>Demo bench: %n simulated phones ({fleet})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n Android address(es)</source>
        <translation>
            <numerusform>%n Android address</numerusform>
            <numerusform>%n Android addresses</numerusform>
        </translation>
    </message>
</context>
</TS>
