#!/usr/bin/env python3
"""Generate assets/demo/05-long-transcript.json: a ~45-minute debt repayment-plan call.

The transcript has 520+ asr_result items: robot and callee alternate, with occasional empty
items (both texts "") marking silences and some long turns (300+ characters) that wrap.
Content is drawn from phase-by-phase pools of robot/callee exchanges with a seeded random
generator, so the output is deterministic: run it again and the file is byte-identical.

    python3 scripts/gen_demo_long.py
"""

import random

from demo_common import add, envelope, hex_id, hms, write

SEED = 20240903
TARGET_SECONDS = 2695          # speech timeline length; the call ends a few seconds later
PTP_AMOUNT = "650"
PTP_DATE = "2024-09-15"
PROMISE_TURN = ("I can do $650 on September 15. My paycheck lands on the 13th, so by the 15th "
                "the money is definitely there.")

rng = random.Random(SEED)


def pick(seq):
    return rng.choice(seq)


def fill(text):
    """Fill {placeholders} with plausible values."""
    values = {
        "months": pick(["3", "6", "9", "12", "18"]),
        "monthly": pick(["$320", "$400", "$450", "$500", "$550", "$700", "$875"]),
        "small": pick(["$150", "$200", "$250", "$300"]),
        "fee": pick(["$35", "$39", "$45"]),
        "bill": pick(["electric bill", "car insurance", "phone bill", "daycare", "rent", "water bill"]),
        "bill_amount": pick(["$120", "$180", "$240", "$310", "$95", "$1,150"]),
        "relative": pick(["my sister", "my brother", "my mom", "my cousin", "a friend from church"]),
        "job": pick(["warehouse shifts", "rideshare driving", "part-time delivery work", "weekend security shifts"]),
        "hours": pick(["20", "24", "28", "32"]),
        "percent": pick(["10", "15", "20", "25"]),
    }
    return text.format(**values)


OPENING = [
    ("R", "Hello, this is Claire, an automated assistant calling on behalf of Summit Lending. "
          "May I speak with Daniel Okafor?"),
    ("C", "Speaking. Who's this?"),
    ("R", "Thank you. I'm Claire from Summit Lending, and this call is recorded for quality and "
          "compliance. Before we continue, could you please confirm your date of birth?"),
    ("C", "June 9th, 1984."),
    ("R", "Thank you, Mr. Okafor. I'm calling about your personal loan account ending in 4471. "
          "Do you have some time today to talk about a repayment plan?"),
    ("C", "I guess so. I've actually been meaning to call you guys, I just kept putting it off."),
]

BALANCE = [
    ("Your current balance is $7,842.60. That includes the principal of $6,000.00 plus interest "
     "and late fees.", "Okay. That's more than I thought it would be."),
    ("Your last payment of {small} was received in May. Since then, three monthly payments have "
     "been missed.", "Yeah, that sounds right. May was the last one I made."),
    ("Each missed payment added a late fee of {fee}. Would you like me to go through the charges "
     "one by one?", "Yes, please. I want to understand where the number comes from."),
    ("The scheduled monthly payment on this loan is $412.50.", "Right, I remember that amount."),
    ("Interest continues to accrue on the unpaid principal at the contract rate.",
     "So the longer I wait the worse it gets, basically."),
    ("Would you like me to send you an itemized statement by email after this call?",
     "Yes, that would help, I can show it to my wife."),
    ("Is the email address ending in gmail.com still the best one for you?",
     "Yes, same email, nothing changed there."),
    ("The account is currently 96 days past due.", "I know. I've been avoiding the letters, honestly."),
    ("Just so you know, the balance I gave you is valid as of today.", "Okay. Got it."),
    ("Do you have any questions about the balance before we talk about options?",
     "Not really. I just want to know what I can realistically do."),
]

HARDSHIP = [
    ("Could you tell me a little about what caused the missed payments?",
     "I lost my full-time job in June. The plant cut the whole second shift."),
    ("I'm sorry to hear that. Are you working at the moment?",
     "Just {job}, about {hours} hours a week."),
    ("Roughly how much do you bring home each month right now?",
     "Maybe $2,100, $2,300 on a good month."),
    ("And what are your main fixed expenses each month?",
     "Rent is $1,150, then the {bill}, groceries, gas. It adds up fast."),
    ("Is anyone else in the household contributing to the expenses?",
     "My wife works part time at a pharmacy, but she just started."),
    ("Do you expect your income to change in the next few months?",
     "I have an interview next week for a forklift job. If I get it things get a lot better."),
    ("Are you receiving unemployment benefits?",
     "I applied, but they said I made too much with the {job}. So no."),
    ("Thank you for sharing that. Do you have any other loans or credit cards you are paying?",
     "One credit card, I pay the minimum on that, around $90."),
    ("Is there anything else affecting your ability to pay right now?",
     "My son needed dental work last month. That was {bill_amount} out of pocket."),
    ("I understand. We want to find an amount that you can actually keep up with.",
     "That's all I'm asking. I don't want to promise something and then miss it again."),
    ("Would it help if the first payment were smaller, and the plan increased later?",
     "Maybe. It depends on how much smaller."),
    ("Are you able to set aside any money each week?",
     "If I'm careful, maybe {small} a week. Some weeks less."),
    ("Do you have any savings you could use toward the balance?",
     "Savings? No. Whatever I had went to rent in July."),
    ("Could a family member help with a one-time payment?",
     "I could ask {relative}, but I don't like doing that."),
    ("I hear you. Let's focus on what you can do on your own.",
     "Thank you. I appreciate that."),
    ("When is your next paycheck expected?",
     "Every other Friday. The next one is the 13th."),
    ("How are you managing the household bills at the moment?",
     "Juggling. I paid the {bill} late this month so I could cover rent."),
    ("Have you been able to keep up with your rent?",
     "Barely. The landlord gave us until the 10th this time."),
    ("Do you have any medical or other emergency expenses coming up?",
     "My wife has a follow-up appointment, maybe {bill_amount} after insurance."),
    ("Thank you. That helps me understand your situation better.",
     "I'm just telling you how it is."),
    ("Is the part-time work steady, or does it change week to week?",
     "It changes. Some weeks they give me {hours} hours, some weeks half that."),
    ("Would a plan that starts after your interview results be helpful?",
     "Maybe, but I don't want to wait too long and have more fees pile on."),
]

DISPUTE = [
    ("I understand your concern about the fees. Would you like me to explain how they were applied?",
     "Yes, because I was charged a late fee twice in July, I'm sure of it."),
    ("I can see two fees in July: one for the missed payment and one returned-payment fee.",
     "The payment bounced because you took it out on the wrong day. That's not my fault."),
    ("I can note a request for a fee review on your account.",
     "Please do. If that fee isn't reversed I'm going to file a complaint."),
    ("You have the right to dispute any charge, and a review will not affect the plan we set up today.",
     "Good, because my cousin is a paralegal and she said I should talk to a lawyer about it."),
    ("You are welcome to speak with a lawyer or any advisor at any time.",
     "I'm not trying to make trouble or get a lawyer involved, I just want it to be fair."),
    ("I understand. Is there anything else about the account you disagree with?",
     "The calls. Somebody called me at work twice. I told them not to."),
    ("I'm sorry about that. I will mark your work number as do not call.",
     "Thank you. If it happens again I'll send a complaint to the consumer bureau."),
    ("Your request has been noted, and calls will only go to this mobile number.",
     "Okay. That's fine."),
    ("Would you like the fee review result sent by email?",
     "Yes, email. I want it in writing."),
    ("The review usually takes up to ten business days.",
     "Ten days is fine, as long as somebody actually looks at it."),
]

PLAN = [
    ("One option is to spread the balance over {months} months. That would be about {monthly} per month.",
     "{monthly} a month is too much for me right now."),
    ("Another option is a reduced payment of {small} per month for three months, then a review.",
     "That I could probably manage, but what happens after the three months?"),
    ("After the reduced period, the remaining balance would be spread over the rest of the plan.",
     "So the payments go up later. Okay, that makes sense if I have the new job."),
    ("While you are on an approved plan, no new late fees are added.",
     "That's the main thing. The fees are what's killing me."),
    ("If a plan payment is missed, the plan may be cancelled and the full balance becomes due again.",
     "Understood. I won't miss it if the amount is realistic."),
    ("Would you prefer to pay monthly or every two weeks, to match your paychecks?",
     "Every two weeks would be easier actually, right after payday."),
    ("With biweekly payments, the amount would be about half of the monthly figure.",
     "Yeah, that feels more doable."),
    ("We can also waive up to {percent} percent of the fees if the plan is completed on time.",
     "Really? Is that in writing somewhere?"),
    ("Yes, the fee waiver terms are included in the plan agreement we send you.",
     "Okay, I'll read it carefully."),
    ("Would you like to start with a lower first payment and then switch to the regular amount?",
     "Yes, if the first one can be lower that would really help."),
    ("Is there a specific date each month that works best for you?",
     "Around the 15th. My paycheck is in by then."),
    ("Can I confirm that you'd like to set up automatic payments?",
     "No, I'd rather pay manually. Last time the automatic one is what bounced."),
    ("That's no problem. You can pay online, by phone, or through the mobile app.",
     "The app is fine. I have it on my phone."),
    ("If your income improves, you can pay more at any time without a penalty.",
     "Good. If I get the forklift job I'll pay it down faster."),
    ("Do you have any questions about how the plan works?",
     "What if I lose the shifts I have now?"),
    ("If your situation changes, call us before the payment date and we can review the plan.",
     "Okay. Before, not after. Got it."),
    ("Based on what you told me, a first payment below $700 seems reasonable. What amount works for you?",
     "Let me think for a second."),
    ("Would a {months}-month plan with a smaller start work better for you?",
     "{months} months sounds long, but if the payments are lower, okay."),
    ("The total you repay under the plan would not be higher than your current balance.",
     "So no extra interest on top for doing the plan? Good."),
    ("I can also check whether a hardship program is available for your account.",
     "Please check. Anything helps right now."),
    ("The hardship program can lower the payment to {small} for the first two months.",
     "That would give me room to breathe until the new job starts."),
    ("If you get the new job, would you be able to increase the payments?",
     "Yes. If I get it, definitely, maybe {monthly} a month."),
    ("Let's make sure the first payment date falls after your paycheck.",
     "Yes, please, not the same day. Give it a couple of days."),
]

BUDGET = [
    ("Just to be sure the plan is affordable, may I go over your monthly budget with you?",
     "Sure, go ahead."),
    ("You mentioned take-home pay of about $2,100 to $2,300.", "Right."),
    ("And rent of $1,150. Are utilities included in that?",
     "No, utilities are separate, maybe $180 together."),
    ("How much do you usually spend on groceries?", "Around $400 for the three of us."),
    ("And transportation, gas and insurance?", "Gas is about $160, insurance is $95."),
    ("After those expenses, about {small} to $300 is left each month. Does that sound right?",
     "Yeah, more or less. Sometimes less when something breaks."),
    ("Then a plan payment within that range should be sustainable.",
     "I think so. I don't want to be left with zero though."),
    ("That's a fair point. We'll keep a small buffer in the plan.", "Thank you."),
]

CLOSING = [
    ("You will receive the plan agreement by email within one business day.",
     "Okay. I'll watch for it."),
    ("Please reply to the email or sign in the app to accept the agreement.",
     "Sign in the app, okay."),
    ("We will send a text reminder two days before each payment.",
     "That's good, I do forget things."),
    ("Can I confirm the best time to reach you if we need to follow up?",
     "After 5 pm on weekdays. Not at work, please."),
    ("I have noted after 5 pm on weekdays, on this mobile number only.", "Perfect."),
    ("Is there anything else you would like to ask before we finish?",
     "When does the fee review start?"),
    ("The fee review starts today, and you'll receive the result by email.", "Okay, thank you."),
    ("Thank you for your time and for working with us on this, Mr. Okafor.",
     "Thanks for being patient with me."),
]

LONG_CALLEE = [
    "Look, I want to be honest with you because I know how this looks. I am not somebody who just "
    "doesn't pay his bills. For eleven years I paid everything on time, the car, the card, this loan, "
    "everything. Then in June they cut the whole second shift at the plant with two weeks' notice, and "
    "I've been scrambling ever since. I'm doing deliveries and some warehouse work, but it's not the "
    "same money, and every week something else comes up.",
    "The thing that frustrates me is the letters. Every week there's a new letter with a new number on "
    "it, and none of them explain anything. One says one amount, the next one says a different amount, "
    "and then there's a notice about fees I never heard of. If somebody had just called me and talked "
    "to me like this back in July, we probably would have sorted it out already instead of letting it "
    "pile up for three months.",
    "My wife and I sat down last weekend and went through everything, every bill, every subscription. "
    "We cancelled the streaming stuff, we switched the phones to a cheaper plan, we stopped eating out "
    "completely. So I'm not asking for a favor here, I'm telling you we've cut everything we can cut. "
    "Whatever plan we agree on has to leave us enough for groceries and gas, otherwise I'm going to miss "
    "it and we're back to square one.",
    "And the interview next week, it's for a forklift operator position at a distribution center about "
    "twenty minutes from my house. It's full time with benefits, and it pays more than the plant did. "
    "If I get it, I could pay a lot more than what we're talking about today, and I would, because I "
    "want this off my back. But I can't promise that on the phone right now, because I don't have the "
    "offer yet and I've been burned before.",
    "I did call once in July, I want that on the record. I waited on hold for forty minutes and then the "
    "call dropped. I called back the next day and the person told me there was nothing they could do "
    "until I was ninety days behind. So I'm a little confused that now, at ninety-six days, suddenly "
    "there's a plan available. If that plan existed in July, I would have taken it then. That is exactly "
    "why I was thinking about a complaint.",
    "Okay, let me explain the budget one more time so we're on the same page. Rent is eleven fifty on "
    "the first. Utilities are around one eighty. Groceries four hundred if we're careful. Gas and "
    "insurance about two fifty together. The credit card minimum is ninety. My son's school stuff is "
    "another fifty or so this month. That leaves maybe two to three hundred, and that's if nothing "
    "breaks, which in my house is never the case.",
    "I don't want to go the lawyer route, I really don't. A lawyer costs money I don't have, and I'd "
    "rather just pay you. But my cousin keeps telling me that the way the fees were stacked in July is "
    "not right, and that I should at least ask for a review in writing. So if you can put that review "
    "in today and send me something by email confirming it, that would honestly make me feel a lot "
    "better about signing anything.",
    "The other thing is the timing. I get paid every other Friday, and the money usually shows up "
    "Friday morning but sometimes not until Saturday. So if the payment date is a Friday, I need it to "
    "be later in the day, or better, the following Monday. Last time the automatic payment went out at "
    "midnight before the paycheck landed, it bounced, and then I got hit with the returned payment fee "
    "on top of the late fee. I'm not doing that again.",
]

LONG_ROBOT = [
    "Before we confirm anything, I need to read you the plan terms. Under this repayment plan, your "
    "balance of $7,842.60 will be paid in installments according to the schedule in your agreement. "
    "While you make each payment on time, no new late fees will be charged. If a payment is missed "
    "by more than ten days, the plan may be cancelled and the remaining balance will become due. You "
    "can pay more than the scheduled amount at any time without a penalty.",
    "I'd like to summarize what we've discussed so far. You lost your full-time job in June, you are "
    "currently working part time, and your take-home pay is about $2,100 to $2,300 per month. After "
    "rent, utilities, groceries, transportation and your credit card minimum, you have roughly $200 to "
    "$300 left each month. You have asked for a fee review for July and for no calls to your work "
    "number. Is all of that correct?",
    "Please note that this call is with an automated assistant on behalf of Summit Lending. Nothing "
    "agreed on this call changes your rights under your loan agreement or under applicable law. You "
    "may request a copy of this call's summary, dispute any charge in writing, or speak with a human "
    "representative at any time by calling the number on your statement during business hours, Monday "
    "through Friday, 8 am to 8 pm Central Time.",
]

CHECKINS = [
    ("R", "Are you still there, Mr. Okafor?"),
    ("R", "Sorry, I didn't catch that. Could you repeat it?"),
    ("R", "Take your time."),
    ("R", "I'm still here."),
]
CALLEE_FILLERS = [
    "Yeah, I'm here.",
    "Sorry, my son was asking me something.",
    "Hold on one second.",
    "Okay, go on.",
    "Sorry, the signal is bad in the kitchen.",
    "Yes, I'm listening.",
]


def exchanges(pool, count):
    """`count` robot/callee pairs drawn from pool in shuffled rounds."""
    out = []
    order = []
    for _ in range(count):
        if not order:                 # every pair once before any pair repeats
            order = list(range(len(pool)))
            rng.shuffle(order)
        robot, callee = pool[order.pop()]
        out.append(("R", fill(robot)))
        out.append(("C", fill(callee)))
    return out


def sprinkle(turns, long_callee, silences, checkins):
    """Insert long callee turns, silences and check-ins at random pair boundaries."""
    out = list(turns)
    for text in long_callee:
        # after a robot turn, replacing the callee's answer would break the pair; put the long
        # turn as an extra R/C exchange: a short prompt, then the monologue.
        pos = rng.randrange(0, len(out) // 2 + 1) * 2
        prompt = pick(["Please go ahead.", "I'm listening.", "I understand. Please continue.",
                       "Go on, Mr. Okafor."])
        out[pos:pos] = [("R", prompt), ("C", text)]
    for _ in range(checkins):
        pos = rng.randrange(1, len(out) // 2) * 2        # between two exchanges
        who, text = pick(CHECKINS)
        out[pos:pos] = [(who, text), ("C", pick(CALLEE_FILLERS))]
    # silences last: up to here `out` is strict R/C pairs, so odd positions follow a robot turn
    for pos in sorted(rng.sample(range(1, len(out), 2), silences), reverse=True):
        out[pos:pos] = [("S", "")]
    return out


def build_turns():
    turns = list(OPENING)
    turns += sprinkle(exchanges(BALANCE, 16), [], 3, 2)
    turns += sprinkle(exchanges(HARDSHIP, 70), LONG_CALLEE[0:3], 6, 4)
    turns += [("R", LONG_ROBOT[1]), ("C", "Yes, that's all correct.")]
    turns += sprinkle(exchanges(DISPUTE, 18), LONG_CALLEE[4:5] + LONG_CALLEE[6:7], 3, 2)
    turns += sprinkle(exchanges(BUDGET, 20), LONG_CALLEE[5:6], 3, 2)
    turns += sprinkle(exchanges(PLAN, 80), LONG_CALLEE[3:4] + LONG_CALLEE[7:8], 6, 4)
    turns += [
        ("R", "So, what amount can you commit to for the first payment, and on what date?"),
        ("S", ""),
        ("C", PROMISE_TURN),
        ("R", "Thank you. I have recorded your first installment. The next installments will follow "
              "the biweekly schedule in your agreement."),
        ("C", "Okay. Send me the schedule and I'll put it on the fridge."),
        ("R", LONG_ROBOT[0]),
        ("C", "I understand the terms."),
    ]
    turns += sprinkle(exchanges(CLOSING, 16), [], 2, 1)
    turns += [
        ("R", LONG_ROBOT[2]),
        ("C", "Okay. Thanks."),
        ("R", "Thank you, Mr. Okafor. Have a good evening. Goodbye."),
        ("C", "Bye."),
    ]
    return turns


def timed(turns):
    """asr_result items, with gaps scaled so the last turn starts near TARGET_SECONDS."""
    gaps = []
    for who, text in turns:
        if who == "S":
            gaps.append(rng.uniform(4.0, 12.0))
        else:
            rate = 15.0 if who == "R" else 13.0
            gaps.append(max(1.0, len(text) / rate) + rng.uniform(0.4, 2.5))
    scale = TARGET_SECONDS / sum(gaps[:-1])
    items = []
    t = 0.0
    for (who, text), gap in zip(turns, gaps):
        items.append({
            "time": hms(t),
            "robottext": text if who == "R" else "",
            "text": text if who == "C" else "",
        })
        t += gap * scale
    return items, t


def main():
    turns = build_turns()
    asr, elapsed = timed(turns)

    callee_texts = [text for who, text in turns if who == "C"]
    all_texts = [text for _, text in turns]
    assert len(asr) >= 520, len(asr)
    assert sum("lawyer" in t.lower() for t in callee_texts) >= 3
    assert sum("complaint" in t.lower() for t in callee_texts) >= 3
    assert sum("$650" in t and "September 15" in t for t in all_texts) == 1
    assert sum(len(t) >= 300 for t in all_texts) >= 8

    start = "2024-09-03 17:12:40"
    number = "+12145550163"
    other = "+12145550178"
    caller = "+14695550120"
    data = {
        "workflow_id": hex_id("demo/05/workflow"),
        "workflow_name": "US_Recovery_90DPD_PaymentPlan",
        "node_id": hex_id("demo/05/node"),
        "node_name": "Push_Plan_Result",
        "callee": {
            "case_id": "100294.0",
            "callee_name": "DANIEL OKAFOR",
            "callee_gender": "male",
            "callee_number": number,
            "platform_name": "Summit Lending",
            "extra_a": "90+",
            "extra_b": "4471",
            "extra_c": "",
            "extra": [
                {"Content": number + "," + other, "Question": "extend_callees"},
                {"Content": "do_not_call:" + other, "Question": "contact_preference"},
            ],
            "extend": {
                "variables": {
                    "account_suffix": "4471",
                    "plan_type": "biweekly_reduced_start",
                    "fee_review_requested": "true",
                },
                "detail_source": "api",
                "pds_variables": {},
            },
            "comments": "100294.0",
            "borrowed_date": "2023-11-20",
            "due_date": "2024-05-29",
            "borrowed_amount": "6000.00",
            "total_owing_amount": "7842.60",
            "currency_unit": "USD",
        },
        "custom_attribute": {
            "bucket": "90+",
            "dpd": "96",
            "portfolio": "Summit-PL-2023Q4",
            "escalation_risk": "high",
        },
        "call": {
            "task_id": hex_id("demo/05/task"),
            "call_id": hex_id("demo/05/call"),
            "callee_number": number,
            "robot_id": "US_EN_Recovery_PaymentPlan_v7",
            "call_start_time": start,
            "call_end_time": add(start, int(elapsed) + 3),
            "call_times": 3,
            "ring_type": "normal",
            "hangup_type": "ByRobot",
            "intention": "A",
            "slots": "",
            "ner_slots": {
                "ptp_date": PTP_DATE,
                "ptp_amount": PTP_AMOUNT,
                "payment_frequency": "biweekly",
                "dispute_topic": "late fee July",
            },
            "redial_call": [
                {
                    "call_id": hex_id("demo/05/redial/1"),
                    "call_start_time": "2024-09-03 09:40:12",
                    "ring_type": "normal",
                    "ring_time": 30,
                    "hangup_type": "NoAnswer",
                    "result_label": "F",
                    "callee_number": number,
                    "caller_number": caller,
                },
                {
                    "call_id": hex_id("demo/05/redial/2"),
                    "call_start_time": "2024-09-03 13:05:47",
                    "ring_type": "normal",
                    "ring_time": 9,
                    "hangup_type": "ByCallee",
                    "result_label": "F",
                    "callee_number": number,
                    "caller_number": caller,
                },
            ],
            "talk_round": sum(1 for who, _ in turns if who == "C"),
            "ring_time": 8,
            "question_answer": [
                {
                    "question_name": "Q1",
                    "answer": "1984-06-09",
                    "answer_text": "june 9th 1984",
                    "status": "Completed",
                    "answer_text_slot": "1984-06-09",
                    "var": "1984-06-09",
                    "verification_results": "Match",
                    "question_content": "Date of birth",
                    "question_type": "open",
                    "whether_answer": "Answered",
                },
                {
                    "question_name": "Q2",
                    "answer": "650",
                    "answer_text": "i can do 650 on september 15",
                    "status": "Completed",
                    "answer_text_slot": "650;2024-09-15",
                    "var": "",
                    "verification_results": "",
                    "question_content": "First installment amount and date",
                    "question_type": "open",
                    "whether_answer": "Answered",
                },
            ],
            "multi_label": {
                "A0": "A0",
                "Correct_Person": "identity_correct_person",
                "Payment_Plan": "action_item_payment_plan",
                "Dispute_Fee": "risk_fee_dispute",
                "Complaint_Risk": "risk_complaint_mentioned",
            },
            "intention_description": "Promise to Pay - Payment Plan",
            "asr_ptp": PTP_DATE + " " + PTP_AMOUNT,
            "asr_result": asr,
            "caller_number": caller,
        },
    }
    path = write("05-long-transcript.json", envelope(data))
    print(path, len(asr), "items,", hms(elapsed))


if __name__ == "__main__":
    main()
