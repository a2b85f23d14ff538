// The front door of the core: a face includes this and nothing else.
#pragma once

#include "Api.h"       // JSON messages: what the browser worker speaks
#include "Batch.h"     // export / import between gates and the office
#include "CardPass.h"  // printed pass cards
#include "DocNumber.h" // the number shapes of each document type
#include "ExportCsv.h" // entries and persons as CSV for people
#include "Feed.h"      // what the office sends back with an upload
#include "Fields.h"    // the twelve items
#include "GateRevocation.h" // revoking a card or a person at the gate
#include "IdNumber.h"  // GB 11643 identity numbers
#include "Lock.h"      // the staff PIN
#include "Pass.h"      // the pass QR text
#include "Person.h"    // one person's record
#include "PersonJson.h"
#include "Phone.h"     // phone numbers, mainland and international
#include "Policy.h"    // allow / refer / deny
#include "RecordJson.h"
#include "Records.h"   // what a gate keeps
#include "ResidentApi.h" // the phone's core over its household file
#include "Roster.h"    // a resident list from a spreadsheet
#include "Store.h"     // the database
#include "Validation.h"
#include "VisitorUse.h" // a single-use visitor pass used at any gate
#include "Words.h"     // values in words
