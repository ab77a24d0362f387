/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as admin_keys from "../admin/keys.js";
import type * as admin_pages from "../admin/pages.js";
import type * as admin_reports from "../admin/reports.js";
import type * as admin_seed from "../admin/seed.js";
import type * as admin_seedSchema from "../admin/seedSchema.js";
import type * as admin_tenants from "../admin/tenants.js";
import type * as agent_knowledge from "../agent/knowledge.js";
import type * as agent_run from "../agent/run.js";
import type * as agent_runInput from "../agent/runInput.js";
import type * as agent_steps from "../agent/steps.js";
import type * as agent_stream from "../agent/stream.js";
import type * as agent_streamCleanup from "../agent/streamCleanup.js";
import type * as agent_streamWriter from "../agent/streamWriter.js";
import type * as agent_tools_arithmetic from "../agent/tools/arithmetic.js";
import type * as agent_tools_currentTime from "../agent/tools/currentTime.js";
import type * as agent_tools_serverTools from "../agent/tools/serverTools.js";
import type * as agent_tools_webhook from "../agent/tools/webhook.js";
import type * as agent_tools_webhookSignature from "../agent/tools/webhookSignature.js";
import type * as crons from "../crons.js";
import type * as gateway_adminApi from "../gateway/adminApi.js";
import type * as gateway_adminAuth from "../gateway/adminAuth.js";
import type * as gateway_adminDashboardScript from "../gateway/adminDashboardScript.js";
import type * as gateway_adminDashboardStyle from "../gateway/adminDashboardStyle.js";
import type * as gateway_adminPage from "../gateway/adminPage.js";
import type * as gateway_adminRequests from "../gateway/adminRequests.js";
import type * as gateway_chartJsFile from "../gateway/chartJsFile.js";
import type * as gateway_chatCompletions from "../gateway/chatCompletions.js";
import type * as gateway_cors from "../gateway/cors.js";
import type * as gateway_docs from "../gateway/docs.js";
import type * as gateway_functionCalls from "../gateway/functionCalls.js";
import type * as gateway_gatewayAction from "../gateway/gatewayAction.js";
import type * as gateway_health from "../gateway/health.js";
import type * as gateway_models from "../gateway/models.js";
import type * as gateway_pollSchedule from "../gateway/pollSchedule.js";
import type * as gateway_relay from "../gateway/relay.js";
import type * as gateway_requestInput from "../gateway/requestInput.js";
import type * as gateway_responses from "../gateway/responses.js";
import type * as gateway_sseResponse from "../gateway/sseResponse.js";
import type * as gateway_streamRelay from "../gateway/streamRelay.js";
import type * as gateway_swaggerUi from "../gateway/swaggerUi.js";
import type * as gateway_swaggerUiFiles from "../gateway/swaggerUiFiles.js";
import type * as http from "../http.js";
import type * as model_admission_conversation from "../model/admission/conversation.js";
import type * as model_admission_govern from "../model/admission/govern.js";
import type * as model_admission_store from "../model/admission/store.js";
import type * as model_admission_target from "../model/admission/target.js";
import type * as model_agentRuns from "../model/agentRuns.js";
import type * as model_audit from "../model/audit.js";
import type * as model_blockedTerms from "../model/blockedTerms.js";
import type * as model_builtInTools from "../model/builtInTools.js";
import type * as model_catalog from "../model/catalog.js";
import type * as model_chat from "../model/chat.js";
import type * as model_conversations from "../model/conversations.js";
import type * as model_foldText from "../model/foldText.js";
import type * as model_generation from "../model/generation.js";
import type * as model_keyCheck from "../model/keyCheck.js";
import type * as model_keyUsage from "../model/keyUsage.js";
import type * as model_keys from "../model/keys.js";
import type * as model_limits from "../model/limits.js";
import type * as model_models from "../model/models.js";
import type * as model_replies from "../model/replies.js";
import type * as model_requestDecision from "../model/requestDecision.js";
import type * as model_requestLog from "../model/requestLog.js";
import type * as model_reservations from "../model/reservations.js";
import type * as model_retention from "../model/retention.js";
import type * as model_settle from "../model/settle.js";
import type * as model_tokenEstimate from "../model/tokenEstimate.js";
import type * as model_tokenShards from "../model/tokenShards.js";
import type * as model_transcriptPii from "../model/transcriptPii.js";
import type * as model_usage from "../model/usage.js";
import type * as model_usageTables from "../model/usageTables.js";
import type * as model_validators from "../model/validators.js";
import type * as model_webhookTarget from "../model/webhookTarget.js";
import type * as openai_adminOpenapi from "../openai/adminOpenapi.js";
import type * as openai_chunks from "../openai/chunks.js";
import type * as openai_errors from "../openai/errors.js";
import type * as openai_finishReason from "../openai/finishReason.js";
import type * as openai_jsonDepth from "../openai/jsonDepth.js";
import type * as openai_modelMessages from "../openai/modelMessages.js";
import type * as openai_models from "../openai/models.js";
import type * as openai_openapi from "../openai/openapi.js";
import type * as openai_parseRequest from "../openai/parseRequest.js";
import type * as openai_rateLimitHeaders from "../openai/rateLimitHeaders.js";
import type * as openai_replyBuilder from "../openai/replyBuilder.js";
import type * as openai_request from "../openai/request.js";
import type * as openai_responseSchemas from "../openai/responseSchemas.js";
import type * as openai_transcript from "../openai/transcript.js";
import type * as openai_usage from "../openai/usage.js";
import type * as pii_anchoredPattern from "../pii/anchoredPattern.js";
import type * as pii_apiKey from "../pii/apiKey.js";
import type * as pii_assignedSecrets from "../pii/assignedSecrets.js";
import type * as pii_besidePlaceholders from "../pii/besidePlaceholders.js";
import type * as pii_boundaries from "../pii/boundaries.js";
import type * as pii_cardIssuers from "../pii/cardIssuers.js";
import type * as pii_categories from "../pii/categories.js";
import type * as pii_characters from "../pii/characters.js";
import type * as pii_creditCard from "../pii/creditCard.js";
import type * as pii_email from "../pii/email.js";
import type * as pii_escapes from "../pii/escapes.js";
import type * as pii_findPii from "../pii/findPii.js";
import type * as pii_fixtures_adversarialInputs from "../pii/fixtures/adversarialInputs.js";
import type * as pii_iban from "../pii/iban.js";
import type * as pii_ibanLengths from "../pii/ibanLengths.js";
import type * as pii_index from "../pii/index.js";
import type * as pii_ipv4 from "../pii/ipv4.js";
import type * as pii_ipv6 from "../pii/ipv6.js";
import type * as pii_labelledNumbers from "../pii/labelledNumbers.js";
import type * as pii_leftmostHits from "../pii/leftmostHits.js";
import type * as pii_luhn from "../pii/luhn.js";
import type * as pii_numberRuns from "../pii/numberRuns.js";
import type * as pii_overlaps from "../pii/overlaps.js";
import type * as pii_passwordWords from "../pii/passwordWords.js";
import type * as pii_phone from "../pii/phone.js";
import type * as pii_privateKey from "../pii/privateKey.js";
import type * as pii_redact from "../pii/redact.js";
import type * as pii_redactText from "../pii/redactText.js";
import type * as pii_regExps from "../pii/regExps.js";
import type * as pii_score from "../pii/score.js";
import type * as pii_serviceTokens from "../pii/serviceTokens.js";
import type * as pii_sortedPairs from "../pii/sortedPairs.js";
import type * as pii_ssn from "../pii/ssn.js";
import type * as pii_streamRedactor from "../pii/streamRedactor.js";
import type * as pii_testing from "../pii/testing.js";
import type * as pii_textScans from "../pii/textScans.js";
import type * as upstream_config from "../upstream/config.js";
import type * as upstream_cooldowns from "../upstream/cooldowns.js";
import type * as upstream_failover from "../upstream/failover.js";
import type * as upstream_failures from "../upstream/failures.js";
import type * as upstream_parameterSupport from "../upstream/parameterSupport.js";
import type * as upstream_providerConfig from "../upstream/providerConfig.js";
import type * as upstream_providers from "../upstream/providers.js";
import type * as upstream_reader from "../upstream/reader.js";
import type * as upstream_targets from "../upstream/targets.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "admin/keys": typeof admin_keys;
  "admin/pages": typeof admin_pages;
  "admin/reports": typeof admin_reports;
  "admin/seed": typeof admin_seed;
  "admin/seedSchema": typeof admin_seedSchema;
  "admin/tenants": typeof admin_tenants;
  "agent/knowledge": typeof agent_knowledge;
  "agent/run": typeof agent_run;
  "agent/runInput": typeof agent_runInput;
  "agent/steps": typeof agent_steps;
  "agent/stream": typeof agent_stream;
  "agent/streamCleanup": typeof agent_streamCleanup;
  "agent/streamWriter": typeof agent_streamWriter;
  "agent/tools/arithmetic": typeof agent_tools_arithmetic;
  "agent/tools/currentTime": typeof agent_tools_currentTime;
  "agent/tools/serverTools": typeof agent_tools_serverTools;
  "agent/tools/webhook": typeof agent_tools_webhook;
  "agent/tools/webhookSignature": typeof agent_tools_webhookSignature;
  crons: typeof crons;
  "gateway/adminApi": typeof gateway_adminApi;
  "gateway/adminAuth": typeof gateway_adminAuth;
  "gateway/adminDashboardScript": typeof gateway_adminDashboardScript;
  "gateway/adminDashboardStyle": typeof gateway_adminDashboardStyle;
  "gateway/adminPage": typeof gateway_adminPage;
  "gateway/adminRequests": typeof gateway_adminRequests;
  "gateway/chartJsFile": typeof gateway_chartJsFile;
  "gateway/chatCompletions": typeof gateway_chatCompletions;
  "gateway/cors": typeof gateway_cors;
  "gateway/docs": typeof gateway_docs;
  "gateway/functionCalls": typeof gateway_functionCalls;
  "gateway/gatewayAction": typeof gateway_gatewayAction;
  "gateway/health": typeof gateway_health;
  "gateway/models": typeof gateway_models;
  "gateway/pollSchedule": typeof gateway_pollSchedule;
  "gateway/relay": typeof gateway_relay;
  "gateway/requestInput": typeof gateway_requestInput;
  "gateway/responses": typeof gateway_responses;
  "gateway/sseResponse": typeof gateway_sseResponse;
  "gateway/streamRelay": typeof gateway_streamRelay;
  "gateway/swaggerUi": typeof gateway_swaggerUi;
  "gateway/swaggerUiFiles": typeof gateway_swaggerUiFiles;
  http: typeof http;
  "model/admission/conversation": typeof model_admission_conversation;
  "model/admission/govern": typeof model_admission_govern;
  "model/admission/store": typeof model_admission_store;
  "model/admission/target": typeof model_admission_target;
  "model/agentRuns": typeof model_agentRuns;
  "model/audit": typeof model_audit;
  "model/blockedTerms": typeof model_blockedTerms;
  "model/builtInTools": typeof model_builtInTools;
  "model/catalog": typeof model_catalog;
  "model/chat": typeof model_chat;
  "model/conversations": typeof model_conversations;
  "model/foldText": typeof model_foldText;
  "model/generation": typeof model_generation;
  "model/keyCheck": typeof model_keyCheck;
  "model/keyUsage": typeof model_keyUsage;
  "model/keys": typeof model_keys;
  "model/limits": typeof model_limits;
  "model/models": typeof model_models;
  "model/replies": typeof model_replies;
  "model/requestDecision": typeof model_requestDecision;
  "model/requestLog": typeof model_requestLog;
  "model/reservations": typeof model_reservations;
  "model/retention": typeof model_retention;
  "model/settle": typeof model_settle;
  "model/tokenEstimate": typeof model_tokenEstimate;
  "model/tokenShards": typeof model_tokenShards;
  "model/transcriptPii": typeof model_transcriptPii;
  "model/usage": typeof model_usage;
  "model/usageTables": typeof model_usageTables;
  "model/validators": typeof model_validators;
  "model/webhookTarget": typeof model_webhookTarget;
  "openai/adminOpenapi": typeof openai_adminOpenapi;
  "openai/chunks": typeof openai_chunks;
  "openai/errors": typeof openai_errors;
  "openai/finishReason": typeof openai_finishReason;
  "openai/jsonDepth": typeof openai_jsonDepth;
  "openai/modelMessages": typeof openai_modelMessages;
  "openai/models": typeof openai_models;
  "openai/openapi": typeof openai_openapi;
  "openai/parseRequest": typeof openai_parseRequest;
  "openai/rateLimitHeaders": typeof openai_rateLimitHeaders;
  "openai/replyBuilder": typeof openai_replyBuilder;
  "openai/request": typeof openai_request;
  "openai/responseSchemas": typeof openai_responseSchemas;
  "openai/transcript": typeof openai_transcript;
  "openai/usage": typeof openai_usage;
  "pii/anchoredPattern": typeof pii_anchoredPattern;
  "pii/apiKey": typeof pii_apiKey;
  "pii/assignedSecrets": typeof pii_assignedSecrets;
  "pii/besidePlaceholders": typeof pii_besidePlaceholders;
  "pii/boundaries": typeof pii_boundaries;
  "pii/cardIssuers": typeof pii_cardIssuers;
  "pii/categories": typeof pii_categories;
  "pii/characters": typeof pii_characters;
  "pii/creditCard": typeof pii_creditCard;
  "pii/email": typeof pii_email;
  "pii/escapes": typeof pii_escapes;
  "pii/findPii": typeof pii_findPii;
  "pii/fixtures/adversarialInputs": typeof pii_fixtures_adversarialInputs;
  "pii/iban": typeof pii_iban;
  "pii/ibanLengths": typeof pii_ibanLengths;
  "pii/index": typeof pii_index;
  "pii/ipv4": typeof pii_ipv4;
  "pii/ipv6": typeof pii_ipv6;
  "pii/labelledNumbers": typeof pii_labelledNumbers;
  "pii/leftmostHits": typeof pii_leftmostHits;
  "pii/luhn": typeof pii_luhn;
  "pii/numberRuns": typeof pii_numberRuns;
  "pii/overlaps": typeof pii_overlaps;
  "pii/passwordWords": typeof pii_passwordWords;
  "pii/phone": typeof pii_phone;
  "pii/privateKey": typeof pii_privateKey;
  "pii/redact": typeof pii_redact;
  "pii/redactText": typeof pii_redactText;
  "pii/regExps": typeof pii_regExps;
  "pii/score": typeof pii_score;
  "pii/serviceTokens": typeof pii_serviceTokens;
  "pii/sortedPairs": typeof pii_sortedPairs;
  "pii/ssn": typeof pii_ssn;
  "pii/streamRedactor": typeof pii_streamRedactor;
  "pii/testing": typeof pii_testing;
  "pii/textScans": typeof pii_textScans;
  "upstream/config": typeof upstream_config;
  "upstream/cooldowns": typeof upstream_cooldowns;
  "upstream/failover": typeof upstream_failover;
  "upstream/failures": typeof upstream_failures;
  "upstream/parameterSupport": typeof upstream_parameterSupport;
  "upstream/providerConfig": typeof upstream_providerConfig;
  "upstream/providers": typeof upstream_providers;
  "upstream/reader": typeof upstream_reader;
  "upstream/targets": typeof upstream_targets;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
};
